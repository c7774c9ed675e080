package io.aiaas.console.web;

/** The person may not see this page: rendered as the 403 page, with nothing of the thing they asked for. */
public class NoAccess extends RuntimeException {
    public NoAccess() {
        super("no access", null, false, false);
    }
}
