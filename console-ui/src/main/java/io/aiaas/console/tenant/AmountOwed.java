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
 * with how many invoices it is on, and the overdue invoices, the longest overdue first; or why the unpaid invoices
 * could not be read (the rest of the overview shows anyway).
 *
 * @param currencies the amount due per currency, by currency code; empty when nothing is owed or on an error
 * @param overdue the invoices past their due day, the earliest due first
 * @param error what the page says in place of the card, else null
 */
public record AmountOwed(List<Due> currencies, List<Invoice> overdue, String error) {

    /**
     * The amount due in one currency.
     *
     * @param minor the sum of the invoices' {@code amount_due_minor}
     * @param invoices how many invoices it is on
     */
    public record Due(String currency, long minor, int invoices) {

        /** "1 invoice", "2 invoices". */
        public String invoicesText() {
            return count(invoices);
        }
    }

    /**
     * Sums the invoices that are still to be paid (open or overdue); anything else in the list (a paid invoice, a
     * credit note) is not counted, whatever the filter platform-api applied.
     */
    static AmountOwed of(List<Invoice> invoices) {
        Map<String, long[]> byCurrency = new TreeMap<>();
        List<Invoice> overdue = new ArrayList<>();
        for (Invoice invoice : invoices) {
            if (!invoice.payable()) {
                continue;
            }
            Long minor = invoice.payment().amountDueMinor();
            long[] sum = byCurrency.computeIfAbsent(invoice.currency() == null ? "" : invoice.currency(),
                    c -> new long[2]);
            sum[0] += minor == null ? 0 : minor;
            sum[1]++;
            if (invoice.payment().overdue()) {
                overdue.add(invoice);
            }
        }
        overdue.sort(Comparator.comparing((Invoice i) -> i.payment().dueAt(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        List<Due> currencies = new ArrayList<>();
        byCurrency.forEach((currency, sum) -> currencies.add(new Due(currency, sum[0], (int) sum[1])));
        return new AmountOwed(List.copyOf(currencies), List.copyOf(overdue), null);
    }

    /** The unpaid invoices could not be read: the page says so instead of the card. */
    static AmountOwed unread(String error) {
        return new AmountOwed(List.of(), List.of(), error);
    }

    /** Whether the card shows: something is still due. */
    public boolean shown() {
        return !currencies.isEmpty();
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
