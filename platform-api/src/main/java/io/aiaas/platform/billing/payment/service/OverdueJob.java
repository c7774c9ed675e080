package io.aiaas.platform.billing.payment.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Tells tenants of invoices that turned overdue, and suspends those that do not pay when that is configured
 * ({@link Dunning}), on the closing job's schedule ({@code aiaas.billing.close-cron}). Every replica runs it; each
 * invoice is told of once and suspends its tenant at most once.
 */
@ApplicationScoped
public class OverdueJob {

    private static final Logger LOG = Logger.getLogger(OverdueJob.class);

    private final PaymentService payments;
    private final Dunning dunning;

    OverdueJob(PaymentService payments, Dunning dunning) {
        this.payments = payments;
        this.dunning = dunning;
    }

    @Scheduled(cron = "{aiaas.billing.close-cron}", identity = "billing-overdue",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        int told = payments.announceOverdue();
        if (told > 0) {
            LOG.infof("%d invoices turned overdue; their tenants were told", told);
        }
        int suspended = dunning.sweep();
        if (suspended > 0) {
            LOG.infof("%d tenants suspended for invoices unpaid past aiaas.billing.suspend-after-overdue-days",
                    suspended);
        }
    }
}
