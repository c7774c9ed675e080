package io.aiaas.platform.billing.tax.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.UUID;

/**
 * The tax an invoice carries, as it was decided when the invoice was made and kept with it: the tenant's treatment,
 * and for {@code standard} the rate that applied (its name, percent, jurisdiction); for {@code exempt} and
 * {@code reverse_charge} a note and no rate. Stored as the invoice's {@code tax} column; {@link #on} computes the
 * amount.
 *
 * @param ratePpm the percent in millionths (19 % = 190,000); null without a rate
 * @param jurisdiction the country, or country and region ({@code US-NY}); null without a rate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppliedTax(String treatment, String name, Integer ratePpm, String jurisdiction, String note,
        UUID rateId) {

    /** Whether a rate applies (a line of kind tax, possibly at 0 %). */
    @JsonIgnore
    public boolean charged() {
        return ratePpm != null;
    }

    /** The percent as people write it: 190,000 ppm = "19", 88,750 = "8.875". */
    @JsonIgnore
    public String percent() {
        return ratePpm == null ? null : percent(ratePpm);
    }

    public static String percent(int ppm) {
        return BigDecimal.valueOf(ppm, 4).stripTrailingZeros().toPlainString();
    }

    /** The line's words: "VAT 19 % (DE)". */
    @JsonIgnore
    public String label() {
        return name + " " + percent() + " % (" + jurisdiction + ")";
    }

    /**
     * The tax on {@code baseNanos} in nano-units, rounded half to even to the currency's minor units ({@code digits}):
     * what an invoice states as its tax is an amount that can be paid. Exact (BigInteger): no overflow, no floating
     * point. Negative for a negative base (a credit note's).
     */
    public long on(long baseNanos, int digits) {
        return ratePpm == null ? 0 : minorUnits(baseNanos, ratePpm, 1_000_000L, digits);
    }

    /**
     * The tax within a gross amount (a credit note's amount, tax included): {@code gross x rate / (1 + rate)}, rounded
     * half to even to minor units, so that the net and the tax add up to the gross exactly.
     */
    public long within(long grossNanos, int digits) {
        return ratePpm == null ? 0 : minorUnits(grossNanos, ratePpm, 1_000_000L + ratePpm, digits);
    }

    /** {@code nanos x numerator / denominator}, rounded half to even to whole minor units, in nano-units. */
    private static long minorUnits(long nanos, long numerator, long denominator, int digits) {
        BigInteger unit = BigInteger.TEN.pow(9 - digits); // nanos per minor unit
        return new BigDecimal(BigInteger.valueOf(nanos).multiply(BigInteger.valueOf(numerator)))
                .divide(new BigDecimal(unit.multiply(BigInteger.valueOf(denominator))), 0, RoundingMode.HALF_EVEN)
                .toBigIntegerExact().multiply(unit).longValueExact();
    }
}
