package io.aiaas.console.tenant;

/**
 * What the notice after "Send every failed event again" says, read back from the redirect's query
 * ({@code ?done=redelivered-failed&queued=3&more=false}). The query can be typed by hand, so it is read defensively: a
 * count that is no small non-negative number is not known (the notice then gives none), and {@code more} is only true
 * when it says {@code true} about a count above 0.
 *
 * @param count how many failed events were queued again, null when the query gives no usable count
 * @param more whether platform-api found more than it queues at once
 */
public record WebhookFailedQueued(Integer count, boolean more) {

    /** The most platform-api queues in one call; "more" means that many were found: calling again sends the rest. */
    public static final int AT_ONCE = 1000;

    /** The notice's content for a redirect's {@code queued} and {@code more}, whatever they hold. */
    static WebhookFailedQueued fromQuery(String queued, String more) {
        Integer count = queued != null && queued.matches("[0-9]{1,9}") ? Integer.valueOf(queued) : null;
        return new WebhookFailedQueued(count, count != null && count > 0 && "true".equals(more));
    }

    /** Whether the count is known. */
    public boolean known() {
        return count != null;
    }

    /** Whether nothing was queued: no event failed in that time. */
    public boolean none() {
        return count != null && count == 0;
    }

    /** Whether exactly one was queued ("1 failed event is"). */
    public boolean one() {
        return count != null && count == 1;
    }

    /** {@link #AT_ONCE}, for the notice. */
    public int atOnce() {
        return AT_ONCE;
    }
}
