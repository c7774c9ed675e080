package io.aiaas.platform.billing.payment.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.billing.BillingConfig;
import io.aiaas.platform.billing.invoice.persistence.InvoiceRepository;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository;
import io.aiaas.platform.billing.payment.persistence.PaymentRepository.SuspendingRow;
import io.aiaas.platform.tenant.service.TenantSuspensions;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Suspending tenants that do not pay, when {@code aiaas.billing.suspend-after-overdue-days} is set: an invoice with
 * something left to pay that many days after it fell due suspends its tenant, once (an operator who resumes the
 * tenant is not overruled by the same invoice); a payment or credit note that settles every invoice that suspended
 * it resumes it. A tenant an operator suspended is neither suspended again nor resumed here. The tenant's webhook
 * is told both ways. No HTTP in here.
 */
@ApplicationScoped
public class Dunning {

    private final PaymentRepository payments;
    private final InvoiceRepository invoices;
    private final TenantSuspensions suspensions;
    private final BillingConfig config;

    Dunning(PaymentRepository payments, InvoiceRepository invoices, TenantSuspensions suspensions,
            BillingConfig config) {
        this.payments = payments;
        this.invoices = invoices;
        this.suspensions = suspensions;
        this.config = config;
    }

    /**
     * Suspends the active tenants of invoices unpaid past their grace that never suspended them; answers how many it
     * suspended (0 when the setting is absent).
     */
    @Transactional
    public int sweep() {
        OptionalInt grace = config.suspendAfterOverdueDays();
        if (grace.isEmpty()) {
            return 0;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant finalizedBefore = now.minus(Duration.ofDays((long) config.paymentTermsDays() + grace.getAsInt()));
        int suspended = 0;
        for (SuspendingRow row : payments.markSuspending(finalizedBefore, now)) {
            if (suspensions.suspendForNonPayment(row.tenantId(), row.number())) {
                tell(row.tenantId(), row.tenantSlug(), WebhookOutbox.TENANT_SUSPENDED, TenantSuspensions.NON_PAYMENT,
                        row.invoiceId(), row.number(), now);
                suspended++;
            }
        }
        return suspended;
    }

    /**
     * After money came in or a credit note was issued on an invoice of the tenant, in that transaction: resumes the
     * tenant if the overdue sweep suspended it and nothing that suspended it is left unpaid. A settled invoice's
     * suspension is forgotten either way, so that it suspends the tenant again should it become unpaid again (the
     * payment removed, say, when the transfer bounced), as any invoice unpaid past its grace does.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resumeIfSettled(InvoiceRepository.InvoiceRow invoice) {
        payments.rearmSettled(invoice.tenantId());
        // counted again under the tenant's lock: a sweep holding it may just have marked another invoice
        if (payments.unpaidSuspending(invoice.tenantId()) == 0 && suspensions.resumeAfterPayment(invoice.tenantId(),
                invoice.number(), () -> payments.unpaidSuspending(invoice.tenantId()) == 0)) {
            tell(invoice.tenantId(), invoice.tenantSlug(), WebhookOutbox.TENANT_RESUMED, "settled", invoice.id(),
                    invoice.number(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        }
    }

    private void tell(UUID tenantId, String slug, String type, String reason, UUID invoiceId, String number,
            Instant now) {
        ObjectNode data = WebhookOutbox.data();
        data.put("reason", reason);
        data.put("invoice_id", invoiceId.toString());
        data.put("number", number);
        data.put("url", "/api/v1/tenants/" + slug + "/invoices/" + invoiceId);
        invoices.queueWebhook(tenantId, slug, type, now, data);
    }
}
