package io.aiaas.console.web;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Locale;

/**
 * Numbers, money and times formatted for the person reading the page: their locale (the browser's Accept-Language)
 * and their time zone (the {@code tz} cookie that /console.js sets from the browser; UTC until it has). Templates
 * reach it as {@code inject:fmt}, e.g. {@code {inject:fmt.time(key.createdAt)}}. Amounts come from platform-api as
 * exact decimal strings; nothing here uses floating point for money.
 */
@Named("fmt")
@RequestScoped
public class Formats {

    /** The cookie /console.js sets to the browser's IANA time zone. */
    public static final String TZ_COOKIE = "tz";
    private static final String DASH = "—";
    /** Days in the pages' language (English), month abbreviated: unambiguous whatever the reader's locale. */
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    /** Months in full in the pages' language: a billing period named in a heading. */
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);

    private final Locale locale;
    private final ZoneId zone;

    @Inject
    Formats(CurrentVertxRequest request) {
        this(localeOf(request.getCurrent()), zoneOf(request.getCurrent()));
    }

    /** For tests and for code that formats outside a request. */
    public Formats(Locale locale, ZoneId zone) {
        this.locale = locale;
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The time zone's id, for a page to say which zone its times are in. */
    public String zoneName() {
        return ZoneOffset.UTC.equals(zone) ? "UTC" : zone.getId();
    }

    /** An integer with the locale's grouping, e.g. 12,345. */
    public String num(Long value) {
        return value == null ? DASH : NumberFormat.getIntegerInstance(locale).format(value);
    }

    public String num(Integer value) {
        return value == null ? DASH : num(value.longValue());
    }

    /**
     * A decimal amount of money (platform-api's exact decimal string) in its currency: the currency's usual digits
     * (half-even), or up to six decimals for a non-zero amount below one cent so that a single call's price is not
     * shown as 0.00.
     */
    public String money(String amount, String currency) {
        if (amount == null || amount.isBlank()) {
            return DASH;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(amount.trim());
        } catch (NumberFormatException notANumber) {
            return amount;
        }
        return moneyOf(value, currency);
    }

    /** An amount in nano-units (1e-9 of the currency), as usage rows and invoices keep it. */
    public String nanos(Long nanos, String currency) {
        return nanos == null ? DASH : moneyOf(BigDecimal.valueOf(nanos, 9), currency);
    }

    /** An amount in micro-units (1e-6 of the currency), as plans keep prices. */
    public String micros(Long micros, String currency) {
        return micros == null ? DASH : moneyOf(BigDecimal.valueOf(micros, 6), currency);
    }

    /**
     * An amount in the currency's minor units (cents for USD, yen for JPY), as payments count it: platform-api's
     * digits, so 2 for a code the JDK does not know.
     */
    public String minor(Long minor, String currency) {
        if (minor == null) {
            return DASH;
        }
        Currency unit = currencyOf(currency);
        int digits = unit != null ? Math.max(0, unit.getDefaultFractionDigits()) : 2;
        return moneyOf(BigDecimal.valueOf(minor, digits), currency);
    }

    public String moneyOf(BigDecimal value, String currency) {
        Currency unit = currencyOf(currency);
        NumberFormat format = unit != null ? NumberFormat.getCurrencyInstance(locale) : NumberFormat.getNumberInstance(locale);
        int digits = unit != null && unit.getDefaultFractionDigits() >= 0 ? unit.getDefaultFractionDigits() : 2;
        if (unit != null) {
            format.setCurrency(unit);
        }
        BigDecimal abs = value.abs();
        if (abs.signum() != 0 && abs.compareTo(BigDecimal.ONE.movePointLeft(digits)) < 0) {
            format.setMinimumFractionDigits(digits);
            format.setMaximumFractionDigits(Math.max(digits, 6));
        } else {
            format.setMinimumFractionDigits(digits);
            format.setMaximumFractionDigits(digits);
        }
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        String text = format.format(value);
        return unit != null || currency == null ? text : text + " " + currency;
    }

    /** A share as a whole percent, e.g. 42 %; a dash when there is no whole. */
    public String percent(Long part, Long whole) {
        if (part == null || whole == null || whole <= 0) {
            return DASH;
        }
        NumberFormat format = NumberFormat.getPercentInstance(locale);
        format.setMaximumFractionDigits(0);
        return format.format((double) part / whole);
    }

    /** Date and time to the minute in the reader's zone, e.g. 2026-11-29 17:05. */
    public String time(Instant instant) {
        return instant == null ? DASH : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone).format(instant);
    }

    /**
     * Date and time to the minute in UTC, saying so, e.g. 2026-11-29 17:05 UTC: for an instant that people elsewhere
     * (the operators of a webhook's receiver) act on, whatever zone the reader's browser is in.
     */
    public String utc(Instant instant) {
        return instant == null ? DASH
                : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(instant);
    }

    /** Date and time to the second in the reader's zone. */
    public String seconds(Instant instant) {
        return instant == null ? DASH : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone).format(instant);
    }

    /** The date alone in the reader's zone. */
    public String date(Instant instant) {
        return instant == null ? DASH : DateTimeFormatter.ISO_LOCAL_DATE.withZone(zone).format(instant);
    }

    /**
     * A calendar day in words, e.g. 1 Dec 2026: a day of the tenant's calendar (a billing period's first day), which no
     * reader's zone shifts.
     */
    public String day(LocalDate date) {
        return date == null ? DASH : DAY.format(date);
    }

    /**
     * A billing period's name (YYYY-MM, a month of the tenant's calendar) in words, e.g. November 2026; text that
     * names no month as it is.
     */
    public String month(String period) {
        if (period == null || period.isBlank()) {
            return DASH;
        }
        try {
            return MONTH.format(YearMonth.parse(period.trim()));
        } catch (DateTimeParseException notAMonth) {
            return period;
        }
    }

    /** The instant as ISO-8601 UTC, for {@code <time datetime>} attributes. */
    public String iso(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static Currency currencyOf(String code) {
        if (code == null) {
            return null;
        }
        try {
            return Currency.getInstance(code.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static Locale localeOf(RoutingContext rc) {
        if (rc == null || rc.acceptableLanguages() == null || rc.acceptableLanguages().isEmpty()) {
            return Locale.US;
        }
        Locale locale = Locale.forLanguageTag(rc.acceptableLanguages().get(0).value());
        return locale.getLanguage().isEmpty() ? Locale.US : locale;
    }

    private static ZoneId zoneOf(RoutingContext rc) {
        Cookie cookie = rc == null ? null : rc.request().getCookie(TZ_COOKIE);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().length() > 64) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(java.net.URLDecoder.decode(cookie.getValue(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (DateTimeException | IllegalArgumentException unknown) {
            return ZoneOffset.UTC;
        }
    }
}
