package io.aiaas.platform.billing.profile.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.BillingConfig;
import io.aiaas.platform.billing.profile.persistence.BillingProfileRepository;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.persistence.Constraints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Billing profiles: who a tenant's invoices are addressed to, kept by its admins, and the platform's own details as
 * issuer ({@code aiaas.billing.issuer.*}). Invoices keep copies of both as they were when they were created
 * ({@link #billTo}, {@link #issuer}, {@link #write}), so a later change never alters an issued invoice. No HTTP in here.
 */
@ApplicationScoped
public class BillingProfileService {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final BillingProfileRepository repository;
    private final AuditLog audit;
    private final BillingConfig config;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    BillingProfileService(BillingProfileRepository repository, AuditLog audit, BillingConfig config,
            ObjectMapper json) {
        this.repository = repository;
        this.audit = audit;
        this.config = config;
        this.json = json;
    }

    /** The tenant's profile; {@code {}} when it was never set. */
    @Transactional
    public BillingProfileView get(TenantAccess access) {
        return repository.find(access.tenantId()).map(r -> BillingProfileView.of(r.party(), r.updatedAt(),
                r.updatedBy())).orElse(BillingProfileView.NONE);
    }

    /**
     * Replaces the tenant's profile (blank optional fields are cleared).
     *
     * @throws ApiException 400 {@code validation_failed} for a country ISO 3166-1 does not know
     */
    @Transactional
    public BillingProfileView put(TenantAccess access, BillingProfileRequest request) {
        if (!COUNTRIES.contains(request.country())) {
            throw ApiException.invalid("validation_failed", List.of(new Problem.Violation("country",
                    "is not an ISO 3166-1 alpha-2 country code")));
        }
        BillingParty party = new BillingParty(request.legalName().trim(), request.addressLine1().trim(),
                optional(request.addressLine2()), request.city().trim(), optional(request.postalCode()),
                optional(request.region()), request.country(), optional(request.taxId()), optional(request.email()));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String actor = access.caller().actor();
        repository.upsert(access.tenantId(), party, now, actor);
        audit.record(actor, ActorKind.USER, access.tenantId(), "tenant.billing_profile.updated", "tenant",
                access.slug(), Constraints.json("legal_name", party.legalName(), "country", party.country()));
        return BillingProfileView.of(party, now, actor);
    }

    /** Who the tenant's invoices are addressed to now, or null when it has no profile. */
    public BillingParty billTo(UUID tenantId) {
        return repository.find(tenantId).map(BillingProfileRepository.ProfileRow::party).orElse(null);
    }

    /** The platform's details as issuer now, or null while {@code aiaas.billing.issuer.legal-name} is unset. */
    public BillingParty issuer() {
        BillingConfig.Issuer i = config.issuer();
        return i.legalName().map(name -> new BillingParty(name, i.addressLine1().orElse(null),
                i.addressLine2().orElse(null), i.city().orElse(null), i.postalCode().orElse(null),
                i.region().orElse(null), i.country().orElse(null), i.taxId().orElse(null), i.email().orElse(null)))
                .orElse(null);
    }

    /** A party as an invoice keeps it (JSON); null for none. */
    public String write(BillingParty party) {
        if (party == null) {
            return null;
        }
        try {
            return json.writeValueAsString(party);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A party an invoice kept; null for none. */
    public BillingParty read(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, BillingParty.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an invoice's stored party is not readable", e);
        }
    }

    private static String optional(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }
}
