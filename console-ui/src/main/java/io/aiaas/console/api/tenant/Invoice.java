package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * An invoice or credit note (lines only on the detail), as the tenant API and the admin API both give it. Amounts are
 * exact nano-units with decimal strings beside; {@code total} is the total rounded once to the currency's minor units.
 * kind INVOICE or CREDIT_NOTE, state DRAFT, FINALIZED or VOID (PREVIEW for the upcoming invoice); {@code tenant} is
 * the tenant's slug, {@code planId} the plan it was priced by (null without one). {@code payment} is where its
 * payment stands (what is left to pay, what was paid and refunded, the ledger), on finalized invoices only (null on
 * drafts, void invoices, credit notes and the upcoming invoice). {@code billTo} is the tenant's billing profile as it was when the invoice was created (null when
 * it had none; the upcoming invoice: the profile now), {@code issuer} the platform's details (null when the operator
 * has not configured them). {@code taxNanos} is the tax it adds (0 without; negative on a credit note of a taxed
 * invoice) and {@code tax} how it was taxed, null when no tax applies (the tenant has no billing country, or no rate is
 * configured for it).
 */
public record Invoice(UUID id, String number, String tenant, String period, String kind, String state,
        String currency, UUID planId, Instant periodStart, Instant periodEnd, long usageNanos, long adjustmentNanos,
        long feeNanos, long creditNanos, long totalNanos, String total, UUID correctsId, String reason,
        Instant createdAt, Instant finalizedAt, Instant voidedAt, List<Line> lines, Payment payment,
        BillingParty billTo, BillingParty issuer, long taxNanos, InvoiceTax tax) {

    /** The state in lower case, as badges show it (draft, finalized, void). */
    public String stateName() {
        return state == null ? "" : state.toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether it is a draft: platform admins finalize or void it. */
    public boolean draft() {
        return "DRAFT".equals(state);
    }

    /**
     * Whether it is the upcoming invoice: the open period as it stands, computed by the API on each call and never
     * stored (no id, number, CSV or calls behind its lines).
     */
    public boolean preview() {
        return "PREVIEW".equals(state);
    }

    /** Whether it is a credit note (which corrects the invoice {@code correctsId}). */
    public boolean creditNote() {
        return "CREDIT_NOTE".equals(kind);
    }

    /** Whether a credit note can correct it: a finalized invoice, not a credit note. */
    public boolean creditable() {
        return "INVOICE".equals(kind) && "FINALIZED".equals(state);
    }

    /**
     * The period's last day in the tenant's calendar, from its name (YYYY-MM) since the bounds are instants whose
     * zone is lost; null when the name is not a month.
     */
    public LocalDate periodLastDay() {
        try {
            return period == null ? null : YearMonth.parse(period.trim()).atEndOfMonth();
        } catch (DateTimeParseException notAMonth) {
            return null;
        }
    }

    public List<Line> lines() {
        return lines == null ? List.of() : lines;
    }

    /** Whether a payment can be recorded on it: something is left to pay (open, partially paid or overdue). */
    public boolean payable() {
        return payment != null && payment.due();
    }

    /** Whether it is paid: nothing is left to pay and nothing is owed back. */
    public boolean paid() {
        return payment != null && payment.paid();
    }

    /** Whether a refund can be recorded on it: the tenant paid more than it now asks. */
    public boolean refundDue() {
        return payment != null && payment.refundDue();
    }

    /**
     * One line: fee, usage, adjustment, credit (the plan's included credit), grant (drawn on a credit grant),
     * correction or tax (its description says which, e.g. "VAT 19 % (DE)"; negative on a credit note).
     */
    public record Line(int lineNo, String kind, String model, String component, long quantity, long amountNanos,
            String amount, String description) {

        /** Whether the line has usage rows behind it (the drill-down). */
        public boolean usage() {
            return "usage".equals(kind);
        }

        /**
         * The kind in words: the API's name, but "Credit grant" for a draw on a grant and "Tax" for tax; a kind unknown
         * here as is.
         */
        public String kindName() {
            return switch (kind == null ? "" : kind) {
                case "grant" -> "Credit grant";
                case "tax" -> "Tax";
                default -> kind;
            };
        }

        /** Whether the line is an amount alone, its quantity meaningless (fee, credits, corrections, tax). */
        public boolean amountOnly() {
            return "fee".equals(kind) || "credit".equals(kind) || "grant".equals(kind) || "correction".equals(kind)
                    || "tax".equals(kind);
        }
    }

    /**
     * The payment state of a finalized invoice: {@code status} open (nothing paid, not yet due), partially_paid
     * (something paid, something left, not yet due), overdue (something left after {@code dueAt}, whether or not part
     * was paid), paid, nothing_due (its credit notes took the total to zero or less) or refund_due (the tenant paid more
     * than the invoice now asks, a credit note issued after payment: the platform owes the difference back); what is
     * left to pay (never below 0) in minor units and as a decimal; the total of the payments received ({@code paid} in
     * the JSON), the day and reference of the latest one; the total refunded ({@code refunded}); what is owed back
     * ({@code refund_due}, only in that state); the ledger of payments and refunds in the order recorded; and, while
     * something is left to pay on a platform that suspends tenants that do not pay, when the invoice still unpaid
     * suspends its tenant ({@code suspends_at}). Fields platform-api leaves out are null.
     */
    public record Payment(String status, Long amountDueMinor, String amountDue, Instant dueAt, Instant paidAt,
            Long paidMinor, @JsonProperty("paid") String paidAmount, String reference, Long refundedMinor,
            @JsonProperty("refunded") String refundedAmount, Long refundDueMinor,
            @JsonProperty("refund_due") String owedBack, List<Entry> entries, Instant suspendsAt) {

        /** Whether something is still to be paid: open, partially paid or overdue. */
        public boolean due() {
            return "open".equals(status) || "partially_paid".equals(status) || "overdue".equals(status);
        }

        public boolean open() {
            return "open".equals(status);
        }

        public boolean partiallyPaid() {
            return "partially_paid".equals(status);
        }

        public boolean overdue() {
            return "overdue".equals(status);
        }

        public boolean paid() {
            return "paid".equals(status);
        }

        public boolean nothingDue() {
            return "nothing_due".equals(status);
        }

        /** Whether the platform owes the tenant money back on it (a refund is to be recorded). */
        public boolean refundDue() {
            return "refund_due".equals(status);
        }

        /** Whether any payment was received on it (whatever happened since: credit notes, refunds). */
        public boolean anyPaid() {
            return paidMinor != null ? paidMinor > 0 : paidAt != null;
        }

        /** Whether any refund was sent on it. */
        public boolean anyRefunded() {
            return refundedMinor != null && refundedMinor > 0;
        }

        /** The ledger, in the order recorded; empty when nothing was paid or refunded. */
        public List<Entry> entries() {
            return entries == null ? List.of() : entries;
        }

        /**
         * One entry of the ledger: a payment received or a refund sent, its amount in minor units and as a decimal,
         * when the money moved ({@code at}, as the operator stated it), the operator's reference and when it was
         * recorded.
         */
        public record Entry(UUID id, String kind, long amountMinor, String amount, Instant at, String reference,
                Instant recordedAt) {

            public boolean refund() {
                return "refund".equals(kind);
            }

            /** "Payment", "Refund"; a kind unknown here as platform-api names it. */
            public String kindName() {
                return "payment".equals(kind) ? "Payment" : refund() ? "Refund" : kind;
            }
        }
    }
}
