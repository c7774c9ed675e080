package io.aiaas.platform.billing.payment.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Tells tenants of invoices that turned overdue, on the closing job's schedule ({@code aiaas.billing.close-cron}).
 * Every replica runs it; {@link PaymentService#announceOverdue()} tells each invoice once.
 */
@ApplicationScoped
public class OverdueJob {

    private static final Logger LOG = Logger.getLogger(OverdueJob.class);

    private final PaymentService payments;

    OverdueJob(PaymentService payments) {
        this.payments = payments;
    }

    @Scheduled(cron = "{aiaas.billing.close-cron}", identity = "billing-overdue",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        int told = payments.announceOverdue();
        if (told > 0) {
            LOG.infof("%d invoices turned overdue; their tenants were told", told);
        }
    }
}
