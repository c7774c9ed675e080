package io.aiaas.console.tenant;

import io.aiaas.console.api.tenant.Invoice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a tenant still owes on its finalized invoices, as the overview's card shows it: the amount due per currency
 * with how many invoices it is on (what is left to pay on each: partly paid invoices count what is left), and the
 * overdue invoices, the longest overdue first; what the platform owes the tenant back (invoices paid beyond what they
 * now ask, a credit note issued after payment), per currency; or why the invoices could not be read (the rest of the
 * overview shows anyway).
 *
 * @param currencies the amount due per currency, by currency code; empty when nothing is owed or on an error
 * @param overdue the invoices past their due day, the earliest due first
 * @param owedBack what the platform owes back per currency, by currency code; empty when nothing or on an error
 * @param error what the page says in place of the cards, else null
 */
public record AmountOwed(List<Due> currencies, List<Invoice> overdue, List<Due> owedBack, String error) {

    /**
     * The amount due (or owed back) in one currency.
     *
     * @param minor the sum of the invoices' {@code amount_due_minor} (or {@code refund_due_minor})
     * @param invoices how many invoices it is on
     */
    public record Due(String currency, long minor, int invoices) {

        /** "1 invoice", "2 invoices". */
        public String invoicesText() {
            return count(invoices);
        }
    }

    /**
     * Sums the invoices that are still to be paid (open, partially paid or overdue: what is left on each), and what
     * the platform owes back from {@code refundDue} (the invoices whose status is refund_due); anything else in either
     * list (a paid invoice, a credit note) is not counted, whatever the filter platform-api applied.
     */
    static AmountOwed of(List<Invoice> invoices, List<Invoice> refundDue) {
        Map<String, long[]> byCurrency = new TreeMap<>();
        List<Invoice> overdue = new ArrayList<>();
        for (Invoice invoice : invoices) {
            if (!invoice.payable()) {
                continue;
            }
            add(byCurrency, invoice, invoice.payment().amountDueMinor());
            if (invoice.payment().overdue()) {
                overdue.add(invoice);
            }
        }
        overdue.sort(Comparator.comparing((Invoice i) -> i.payment().dueAt(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        Map<String, long[]> back = new TreeMap<>();
        for (Invoice invoice : refundDue) {
            if (invoice.refundDue()) {
                add(back, invoice, invoice.payment().refundDueMinor());
            }
        }
        return new AmountOwed(dues(byCurrency), List.copyOf(overdue), dues(back), null);
    }

    private static void add(Map<String, long[]> sums, Invoice invoice, Long minor) {
        long[] sum = sums.computeIfAbsent(invoice.currency() == null ? "" : invoice.currency(), c -> new long[2]);
        sum[0] += minor == null ? 0 : minor;
        sum[1]++;
    }

    private static List<Due> dues(Map<String, long[]> sums) {
        List<Due> dues = new ArrayList<>();
        sums.forEach((currency, sum) -> dues.add(new Due(currency, sum[0], (int) sum[1])));
        return List.copyOf(dues);
    }

    /** The invoices could not be read: the page says so instead of the cards. */
    static AmountOwed unread(String error) {
        return new AmountOwed(List.of(), List.of(), List.of(), error);
    }

    /** Whether the card shows: something is still due. */
    public boolean shown() {
        return !currencies.isEmpty();
    }

    /** Whether the card of what the platform owes back shows: a refund is due on some invoice. */
    public boolean anyOwedBack() {
        return !owedBack.isEmpty();
    }

    public boolean anyOverdue() {
        return !overdue.isEmpty();
    }

    /** When the longest overdue invoice fell due. */
    public Instant overdueSince() {
        return overdue.isEmpty() ? null : overdue.get(0).payment().dueAt();
    }

    /** "1 invoice overdue", "2 invoices overdue". */
    public String overdueText() {
        return count(overdue.size()) + " overdue";
    }

    private static String count(long n) {
        return n + (n == 1 ? " invoice" : " invoices");
    }
}
