package io.aiaas.platform.metering;

/** Thrown when a usage row could not be committed in time, so the call must not be answered with its result. */
public class UsageNotRecordedException extends RuntimeException {

    public UsageNotRecordedException(String message, Throwable cause) {
        super(message, cause);
    }
}
