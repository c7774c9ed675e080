package io.aiaas.platform.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
