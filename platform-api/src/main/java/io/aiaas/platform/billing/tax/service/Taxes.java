package io.aiaas.platform.billing.tax.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.billing.profile.service.BillingParty;
import io.aiaas.platform.billing.tax.persistence.TaxRepository;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Tax rates, tenants' tax treatments, and the one rule of which tax an invoice carries ({@link #decide}). No HTTP in
 * here; the invoice's arithmetic is {@link AppliedTax#on}.
 */
@ApplicationScoped
public class Taxes {

    /** What a reverse-charged invoice says when the operator gave no note. */
    static final String REVERSE_CHARGE = "Reverse charge: the customer accounts for the tax.";

    private final TaxRepository repository;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    Taxes(TaxRepository repository, AuditLog audit, ObjectMapper json) {
        this.repository = repository;
        this.audit = audit;
        this.json = json;
    }

    /** The tax as an invoice row keeps it (JSON; null for none). */
    public String write(AppliedTax tax) {
        try {
            return tax == null ? null : json.writeValueAsString(tax);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #write}'s JSON back; null for none. */
    public AppliedTax read(String stored) {
        try {
            return stored == null ? null : json.readValue(stored, AppliedTax.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an invoice's stored tax is not readable", e);
        }
    }

    /** The tax of an invoice as its JSON shows it, with its amount; null for none. */
    public static TaxView view(AppliedTax tax, long taxNanos, String currency) {
        return tax == null ? null : new TaxView(tax.treatment(), tax.name(), tax.percent(), tax.jurisdiction(),
                tax.charged() ? Money.minorDecimal(Money.toMinorUnits(taxNanos, currency), currency) : null,
                tax.note());
    }

    /**
     * The tax of an invoice of {@code tenantId} addressed to {@code billTo} (its billing profile as the invoice keeps
     * it), whose tax point is {@code day} (the period's last day): null when none applies (no billing country, or no
     * rate for it); the exemption or reverse charge with its note; else the rate in effect that day.
     */
    public AppliedTax decide(UUID tenantId, BillingParty billTo, LocalDate day) {
        TaxTreatment treatment = repository.treatment(tenantId).orElse(new TaxTreatment("standard", null));
        switch (treatment.treatment()) {
            case "exempt" -> {
                return new AppliedTax("exempt", null, null, null,
                        treatment.note() == null ? "Exempt from tax." : treatment.note(), null);
            }
            case "reverse_charge" -> {
                return new AppliedTax("reverse_charge", null, null, null,
                        treatment.note() == null ? REVERSE_CHARGE : treatment.note(), null);
            }
            default -> {
                if (billTo == null || billTo.country() == null) {
                    return null;
                }
                String region = billTo.region() == null || billTo.region().isBlank() ? null : billTo.region().strip();
                return repository.inEffect(billTo.country(), region, day).map(rate -> new AppliedTax("standard",
                        rate.name(), rate.ratePpm(), rate.region() == null ? rate.country()
                                : rate.country() + "-" + rate.region(), treatment.note(), rate.id())).orElse(null);
            }
        }
    }

    public List<TaxRateView> rates() {
        return repository.list();
    }

    /**
     * Adds a rate.
     *
     * @throws ApiException 400 {@code invalid_tax_rate}; 409 {@code tax_rate_exists}
     */
    @Transactional
    public TaxRateView add(TaxRateRequest request, Caller caller) {
        int ppm = ppm(request.rate());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LocalDate from = request.effectiveFrom() != null ? request.effectiveFrom()
                : LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (from.getYear() < 2000 || from.getYear() > 9999) {
            throw ApiException.badRequest("invalid_tax_rate", "effective_from must be between 2000 and 9999");
        }
        TaxRateView rate = new TaxRateView(UUID.randomUUID(), request.country(), request.region() == null ? null
                : request.region().strip(), request.name().strip(), AppliedTax.percent(ppm), ppm, from, now,
                caller.actor());
        if (rate.region() != null && rate.region().isEmpty()) {
            throw ApiException.badRequest("invalid_tax_rate", "region must not be blank; leave it out for a country's"
                    + " rate");
        }
        try {
            repository.insert(rate);
        } catch (ApiException e) {
            if (e.status() == 409) { // the unique index: one rate per country, region and day
                throw ApiException.conflict("tax_rate_exists", "A rate for " + rate.country()
                        + (rate.region() == null ? "" : "-" + rate.region()) + " from " + from + " exists already;"
                        + " a rate never changes: add one from another day");
            }
            throw e;
        }
        audit.record(caller.actor(), ActorKind.USER, null, "billing.tax_rate_added", "tax_rate",
                rate.id().toString(), Constraints.json("country", rate.country(), "region", rate.region(), "name",
                        rate.name(), "rate_ppm", ppm, "effective_from", from.toString()));
        return rate;
    }

    /**
     * Removes a rate that has not taken effect yet (UTC).
     *
     * @throws ApiException 404 {@code tax_rate_not_found}; 409 {@code tax_rate_in_effect}
     */
    @Transactional
    public void remove(UUID id, Caller caller) {
        TaxRateView rate = repository.find(id).orElseThrow(() -> ApiException.notFound("tax_rate_not_found",
                "No tax rate " + id));
        if (!rate.effectiveFrom().isAfter(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))) {
            throw ApiException.conflict("tax_rate_in_effect", "The rate took effect on " + rate.effectiveFrom()
                    + " and invoices may carry it: it stays; add a new rate from the day it changes");
        }
        repository.delete(rate.id());
        audit.record(caller.actor(), ActorKind.USER, null, "billing.tax_rate_removed", "tax_rate",
                rate.id().toString(), Constraints.json("country", rate.country(), "region", rate.region(),
                        "effective_from", rate.effectiveFrom().toString()));
    }

    /** The tenant's treatment ({@code standard} until an admin sets another). */
    public TaxTreatment treatment(TenantAccess tenant) {
        return repository.treatment(tenant.tenantId()).orElseThrow();
    }

    @Transactional
    public TaxTreatment setTreatment(TenantAccess tenant, TaxTreatment request, Caller caller) {
        String note = request.note() == null || request.note().isBlank() ? null : request.note().strip();
        TaxTreatment treatment = new TaxTreatment(request.treatment(), note);
        repository.setTreatment(tenant.tenantId(), treatment);
        audit.record(caller.actor(), ActorKind.USER, tenant.tenantId(), "billing.tax_treatment_changed", "tenant",
                tenant.slug(), Constraints.json("treatment", treatment.treatment(), "note", note));
        return treatment;
    }

    /** "19" or "8.875" (a percent, 0 to 100, at most four decimals) in millionths. */
    static int ppm(String rate) {
        BigDecimal percent;
        try {
            percent = new BigDecimal(rate.strip());
        } catch (NumberFormatException e) {
            throw invalidRate(rate);
        }
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0
                || percent.stripTrailingZeros().scale() > 4) {
            throw invalidRate(rate);
        }
        return percent.movePointRight(4).intValueExact();
    }

    private static ApiException invalidRate(String rate) {
        return ApiException.badRequest("invalid_tax_rate", "rate must be a percent from 0 to 100 with at most four"
                + " decimals, such as \"19\" or \"8.875\"; got \"" + (rate.length() > 20 ? rate.substring(0, 20)
                        + "..." : rate) + "\"");
    }
}
