package io.aiaas.platform.billing.invoice.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Closes ended periods on a schedule ({@code aiaas.billing.close-cron}, every 10 minutes by default). Every replica
 * runs it; {@link InvoiceService} makes sure each tenant's period is invoiced once.
 */
@ApplicationScoped
public class BillingCloseJob {

    private static final Logger LOG = Logger.getLogger(BillingCloseJob.class);

    private final InvoiceService invoices;

    BillingCloseJob(InvoiceService invoices) {
        this.invoices = invoices;
    }

    @Scheduled(cron = "{aiaas.billing.close-cron}", identity = "billing-close",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        for (CloseReport report : invoices.closeEndedPeriods()) {
            if (!report.created().isEmpty() || report.busy() > 0) {
                LOG.infof("closed %s: %d invoices created, %d already closed, %d still open, %d busy or failed",
                        report.period(), report.created().size(), report.alreadyClosed(), report.stillOpen(),
                        report.busy());
            }
        }
    }
}
