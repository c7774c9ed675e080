package io.aiaas.platform.tenant.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Who suspends and resumes a tenant, and why: an operator (with a note the tenant is told, or none; only an operator
 * lifts it) or the overdue sweep for an unpaid invoice (reason {@code non_payment}; settling it lifts it). Each change
 * is audited, reaches every replica's key cache when it commits, and an operator's reaches the tenant's webhook.
 */
@ApplicationScoped
public class TenantSuspensions {

    /** The reason a tenant suspended by the overdue sweep carries ({@code suspended_reason}). */
    public static final String NON_PAYMENT = "non_payment";

    private final TenantRepository tenants;
    private final AuditLog audit;
    private final ChangeNotifications notifications;
    private final Event<TenantChanged> changed;
    private final Jdbc jdbc;

    TenantSuspensions(TenantRepository tenants, AuditLog audit, ChangeNotifications notifications,
            Event<TenantChanged> changed, Jdbc jdbc) {
        this.tenants = tenants;
        this.audit = audit;
        this.notifications = notifications;
        this.changed = changed;
        this.jdbc = jdbc;
    }

    /**
     * Suspends an active tenant because an invoice of it is unpaid past its grace (the overdue sweep, in its
     * transaction): its keys are refused on every replica once it commits. Answers whether it was active.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean suspendForNonPayment(UUID tenantId, String invoiceNumber) {
        TenantEntity tenant = lockedAsCommitted(tenantId);
        if (tenant == null || !"ACTIVE".equals(tenant.status)) {
            return false;
        }
        tenant.status = "SUSPENDED";
        tenant.suspendedReason = NON_PAYMENT;
        tenant.updatedAt = Instant.now();
        audit.record("system", ActorKind.SYSTEM, tenant.id, "tenant.suspended", "tenant", tenant.slug,
                Constraints.json("reason", NON_PAYMENT, "invoice", invoiceNumber));
        announce(tenant);
        return true;
    }

    /**
     * Resumes a tenant the overdue sweep suspended (not one an operator suspended), in the caller's transaction, once
     * what suspended it is settled: {@code settled} is asked under the tenant's lock, after a sweep that held it (and
     * marked another invoice as suspending it) committed. Answers whether it did.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean resumeAfterPayment(UUID tenantId, String invoiceNumber, BooleanSupplier settled) {
        TenantEntity tenant = lockedAsCommitted(tenantId);
        if (tenant == null || !"SUSPENDED".equals(tenant.status) || !NON_PAYMENT.equals(tenant.suspendedReason)
                || !settled.getAsBoolean()) {
            return false;
        }
        tenant.status = "ACTIVE";
        tenant.suspendedReason = null;
        tenant.suspensionNote = null;
        tenant.updatedAt = Instant.now();
        audit.record("system", ActorKind.SYSTEM, tenant.id, "tenant.resumed", "tenant", tenant.slug,
                Constraints.json("reason", "settled", "invoice", invoiceNumber));
        announce(tenant);
        return true;
    }

    /**
     * The tenant's row locked, with what was committed before the lock was granted: {@code find} with a lock mode
     * keeps the state of an entity this transaction read before (a payment's credit grant reads the tenant), and
     * writing that back would undo a close or any change committed meanwhile.
     */
    private TenantEntity lockedAsCommitted(UUID tenantId) {
        TenantEntity tenant = tenants.getEntityManager().find(TenantEntity.class, tenantId);
        if (tenant != null) {
            tenants.getEntityManager().refresh(tenant, LockModeType.PESSIMISTIC_WRITE);
        }
        return tenant;
    }

    /**
     * An operator suspends or resumes the tenant, or changes what a suspension tells it ({@code suspension_note}, only
     * while it is or becomes suspended; cleared on resume). A note added to the overdue sweep's suspension leaves it
     * the sweep's (settling the invoice still resumes the tenant); a status change makes it the operator's.
     */
    boolean changeByOperator(TenantEntity tenant, UpdateTenantRequest request, Caller caller) {
        String status = request.status() == null ? tenant.status : request.status().toUpperCase(Locale.ROOT);
        String note = request.suspensionNote() == null ? tenant.suspensionNote
                : request.suspensionNote().isBlank() ? null : request.suspensionNote().strip();
        if (!"SUSPENDED".equals(status)) {
            if (request.suspensionNote() != null && !request.suspensionNote().isBlank()) {
                throw ApiException.badRequest("suspension_note_without_suspension", "A suspension note is told to"
                        + " a suspended tenant; send it with \"status\": \"suspended\" or to a suspended tenant");
            }
            note = null;
        }
        boolean statusChanged = !status.equals(tenant.status);
        if (!statusChanged && Objects.equals(note, tenant.suspensionNote)) {
            return false;
        }
        if (statusChanged) {
            tenant.status = status;
            tenant.suspendedReason = null; // an operator's suspension: only an operator resumes it
        }
        tenant.suspensionNote = note;
        String action = !statusChanged ? "tenant.suspension_note_changed"
                : "SUSPENDED".equals(status) ? "tenant.suspended" : "tenant.resumed";
        audit.record(caller.actor(), ActorKind.USER, tenant.id, action, "tenant", tenant.slug,
                note == null ? null : Constraints.json("note", note));
        announce(tenant);
        if (statusChanged) {
            tellOperatorsChange(tenant, "SUSPENDED".equals(status));
        }
        return true;
    }

    /**
     * The tenant's webhook hears that an operator suspended or resumed it ({@code tenant.suspended},
     * {@code tenant.resumed} with reason {@code operator}, and the suspension's note), queued in the change's
     * transaction.
     */
    private void tellOperatorsChange(TenantEntity tenant, boolean suspended) {
        ObjectNode data = WebhookOutbox.data();
        data.put("reason", "operator");
        if (suspended && tenant.suspensionNote != null) {
            data.put("note", tenant.suspensionNote);
        }
        jdbc.withConnection(c -> WebhookOutbox.enqueueIfConfigured(c, tenant.id, tenant.slug,
                suspended ? WebhookOutbox.TENANT_SUSPENDED : WebhookOutbox.TENANT_RESUMED, Instant.now(), data));
    }

    /** Every replica's key cache drops this tenant's keys when the change commits (they read its status). */
    private void announce(TenantEntity tenant) {
        notifications.publish(TenantChanged.CHANNEL, tenant.id.toString());
        changed.fire(new TenantChanged(tenant.id));
    }
}
