package io.aiaas.platform.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;
import java.util.OptionalInt;

/** Settings of invoicing ({@code aiaas.billing.*}). */
@ConfigMapping(prefix = "aiaas.billing")
public interface BillingConfig {

    /**
     * When the closing job looks for tenants whose period has ended and invoices them (Quartz cron; every 10
     * minutes by default; {@code off} disables it, e.g. in tests).
     */
    @WithDefault("0 */10 * * * ?")
    String closeCron();

    /** The currency of an invoice for a tenant that used the platform without ever being on a plan. */
    @WithDefault("USD")
    String defaultCurrency();

    /** How many days after it is finalized an invoice falls due; unpaid after that, it is overdue. */
    @WithDefault("30")
    int paymentTermsDays();

    /**
     * How many days after it falls due an unpaid invoice suspends its tenant (its keys are refused until what
     * suspended it is settled); absent, the default, never.
     */
    OptionalInt suspendAfterOverdueDays();

    /**
     * The TrueType font (a .ttf file) invoices are printed in as PDF; a bold face beside it named {@code *-Bold.ttf}
     * is used for headings. Absent, the default: DejaVu Sans or Liberation Sans where the system has it installed,
     * else Helvetica (Latin-1 only).
     */
    Optional<String> pdfFont();

    /**
     * The platform's own details, printed on every invoice as its issuer ({@code aiaas.billing.issuer.legal-name}
     * and so on); no issuer on invoices while the legal name is unset.
     */
    Issuer issuer();

    /** The issuer of invoices. */
    interface Issuer {
        Optional<String> legalName();

        Optional<String> addressLine1();

        Optional<String> addressLine2();

        Optional<String> city();

        Optional<String> postalCode();

        Optional<String> region();

        /** ISO 3166-1 alpha-2. */
        Optional<String> country();

        Optional<String> taxId();

        Optional<String> email();
    }
}
