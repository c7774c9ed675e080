package io.aiaas.platform.billing.credit.service;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.credit.persistence.CreditRepository;
import io.aiaas.platform.billing.credit.persistence.CreditRepository.GrantRow;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.aiaas.platform.tenant.service.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Credit grants: platform admins give a tenant credit (prepaid, promotional, goodwill) in one currency, which the
 * tenant's invoices in that currency draw on when periods close, earliest expiry first, down to a total of zero and no
 * further; admins void what is left of one. What an invoice drew is recorded with it, so a voided draft gives its
 * credit back, and a finalized invoice keeps what it drew.
 */
@ApplicationScoped
public class CreditService {

    static final int MAX_LIST = 500;
    /** The most credit a tenant may hold in one currency: 10^15 micro-units (a billion of it), in nano-units. */
    static final BigDecimal MAX_HELD_NANOS = BigDecimal.valueOf(GrantCreditRequest.MAX_AMOUNT_MICROS * 1000L);

    /** What an invoice draws from one grant (a positive amount; the invoice line is its negative). */
    public record Draw(UUID grantId, String reason, long amountNanos) {
    }

    private final CreditRepository repository;
    private final TenantRepository tenants;
    private final AuditLog audit;

    CreditService(CreditRepository repository, TenantRepository tenants, AuditLog audit) {
        this.repository = repository;
        this.tenants = tenants;
        this.audit = audit;
    }

    /**
     * Gives the tenant named in the request credit from now on.
     *
     * @throws ApiException 400 {@code unknown_tenant}, 409 {@code tenant_closed} (it has no invoices to come), 409
     *         {@code credit_limit} when the tenant would hold more than {@link #MAX_HELD_NANOS} in the currency
     */
    @Transactional
    public CreditGrantView grant(GrantCreditRequest request, Caller caller) {
        String slug = request.tenant().trim();
        TenantEntity tenant = tenants.findBySlug(slug).orElseThrow(() -> ApiException.badRequest("unknown_tenant",
                "tenant '" + slug + "' does not exist"));
        if ("CLOSED".equals(tenant.status)) {
            throw TenantService.closed(slug);
        }
        UUID id = UUID.randomUUID();
        long nanos = Math.multiplyExact(request.amountMicros(), 1000L);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // a bound on what a tenant holds keeps every sum of its grants within a long
        BigDecimal held = repository.activeNanosLocked(tenant.id, request.currency(), now);
        if (held.add(BigDecimal.valueOf(nanos)).compareTo(MAX_HELD_NANOS) > 0) {
            throw ApiException.conflict("credit_limit", "Tenant '" + slug + "' holds "
                    + Money.exactDecimal(held.longValueExact(), request.currency()) + " " + request.currency()
                    + " of credit; with this grant it would hold more than " + Money.exactDecimal(
                            MAX_HELD_NANOS.longValueExact(), request.currency()) + ", the most a tenant may hold");
        }
        Instant expires = request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS);
        repository.insert(id, tenant.id, request.currency(), nanos, request.reason().trim(), caller.actor(), now,
                expires);
        audit.record(caller.actor(), ActorKind.USER, tenant.id, "billing.credit_granted", "credit_grant",
                id.toString(), Constraints.json("currency", request.currency(), "amount_nanos", nanos, "reason",
                        request.reason().trim(), "expires_at", expires == null ? null : expires.toString()));
        return view(repository.findForUpdate(id).orElseThrow(), now, true);
    }

    /** Every tenant's grants, or one tenant's (by slug; 404 {@code tenant_not_found}), newest first. */
    @Transactional
    public List<CreditGrantView> adminList(String tenantSlug) {
        UUID tenantId = null;
        if (tenantSlug != null && !tenantSlug.isBlank()) {
            String slug = tenantSlug.trim();
            tenantId = tenants.findBySlug(slug).map(t -> t.id).orElseThrow(() -> ApiException.notFound(
                    "tenant_not_found", "No tenant '" + slug + "'"));
        }
        Instant now = Instant.now();
        return repository.list(tenantId, MAX_LIST).stream().map(g -> view(g, now, true)).toList();
    }

    /**
     * Voids what is left of a grant: no invoice draws on it after this; what invoices drew stays on them.
     *
     * @throws ApiException 404 {@code credit_grant_not_found}, 409 {@code credit_grant_void} when voided already
     */
    @Transactional
    public CreditGrantView voidGrant(String id, Caller caller) {
        UUID grantId = parse(id);
        GrantRow grant = (grantId == null ? Optional.<GrantRow>empty() : repository.findForUpdate(grantId))
                .orElseThrow(() -> ApiException.notFound("credit_grant_not_found", "No credit grant '" + id + "'"));
        if (grant.voidedAt() != null) {
            throw ApiException.conflict("credit_grant_void", "Credit grant " + id + " was voided at "
                    + grant.voidedAt());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.markVoided(grantId, now, caller.actor());
        audit.record(caller.actor(), ActorKind.USER, grant.tenantId(), "billing.credit_voided", "credit_grant",
                grantId.toString(), Constraints.json("currency", grant.currency(), "forfeited_nanos",
                        grant.remainingNanos()));
        return view(repository.findForUpdate(grantId).orElseThrow(), now, true);
    }

    /** The tenant's balances and grants, for its members. */
    @Transactional
    public TenantCredits tenantCredits(TenantAccess access) {
        Instant now = Instant.now();
        List<CreditGrantView> grants = repository.list(access.tenantId(), MAX_LIST).stream()
                .map(g -> view(g, now, false)).toList();
        Map<String, Long> left = new TreeMap<>();
        for (CreditGrantView g : grants) {
            if ("active".equals(g.state())) {
                left.merge(g.currency(), g.remainingNanos(), Math::addExact);
            }
        }
        List<TenantCredits.Balance> balances = new ArrayList<>();
        left.forEach((currency, nanos) -> balances.add(new TenantCredits.Balance(currency, nanos,
                Money.exactDecimal(nanos, currency))));
        return new TenantCredits(balances, grants);
    }

    /**
     * What an invoice of [{@code start}, {@code end}) in this currency draws on the tenant's grants to pay
     * {@code dueNanos}: from each usable grant in turn, never more than is left of it nor, in all, than is due.
     * With {@code lock} (closing a period) the grants stay locked until the transaction ends; {@link #record} then
     * stores the draws with the invoice. Without it (the upcoming invoice) nothing is locked or stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Draw> draw(UUID tenantId, String currency, long dueNanos, Instant start, Instant end, boolean lock) {
        List<Draw> draws = new ArrayList<>();
        if (dueNanos <= 0) {
            return draws;
        }
        long due = dueNanos;
        for (GrantRow grant : repository.usable(tenantId, currency, start, end, lock)) {
            long take = Math.min(due, grant.remainingNanos());
            draws.add(new Draw(grant.id(), grant.reason(), take));
            due -= take;
            if (due == 0) {
                break;
            }
        }
        return draws;
    }

    /** Stores what an invoice drew, in its transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(List<Draw> draws, UUID invoiceId) {
        for (Draw draw : draws) {
            repository.insertApplication(draw.grantId(), invoiceId, draw.amountNanos());
        }
    }

    private static CreditGrantView view(GrantRow g, Instant now, boolean admin) {
        String state = g.voidedAt() != null ? "voided" : g.remainingNanos() == 0 ? "spent"
                : g.expiresAt() != null && !g.expiresAt().isAfter(now) ? "expired" : "active";
        return new CreditGrantView(g.id(), g.tenantSlug(), g.currency(), g.amountNanos(),
                Money.exactDecimal(g.amountNanos(), g.currency()), g.remainingNanos(),
                Money.exactDecimal(g.remainingNanos(), g.currency()), g.reason(), state, g.createdAt(), g.expiresAt(),
                g.voidedAt(), admin ? g.grantedBy() : null);
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
