package io.aiaas.console.admin;

import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.Rollout;
import io.aiaas.console.api.admin.RolloutRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rollout form of the admin model page, as typed: the stable version (empty: the newest version a worker serves),
 * the canary version (empty: no canary), the canary's percent, how its share is assigned (per call or sticky per
 * tenant), its automatic rollback (a failure percent, empty: none; a window of calls, empty: platform-api's 100), and
 * the shadow version (empty: none) with the share of calls copied to it. {@link #request} turns it into the whole
 * rollout to PUT; the canary's settings are sent only with a canary (without one they are left out, whatever the
 * inputs hold), the window only with a failure percent, the shadow's percent only with a shadow. What the console
 * checks is only that the number inputs are whole numbers; a canary or a shadow without its percent, one version in
 * two roles, a value out of range or an assignment other than call and tenant is platform-api's to refuse, beside the
 * form.
 *
 * @param stable {@code stable_version} as posted: a version number or empty
 * @param canary {@code canary_version} as posted: a version number or empty
 * @param percent {@code canary_percent} as posted
 * @param by {@code canary_by} as posted: {@code call}, {@code tenant} or empty (platform-api's default, per call)
 * @param rollbackPercent {@code rollback_error_percent} as posted
 * @param rollbackWindow {@code rollback_window} as posted
 * @param shadow {@code shadow_version} as posted: a version number or empty
 * @param shadowPercent {@code shadow_percent} as posted
 */
public record RolloutForm(String stable, String canary, String percent, String by, String rollbackPercent,
        String rollbackWindow, String shadow, String shadowPercent) {

    /**
     * Inputs of the form by the field names platform-api gives its violations, for {@code FormError.beside}: each
     * input is named after its field.
     */
    static final Map<String, String> INPUTS = Map.of("stable_version", "stable_version", "canary_version",
            "canary_version", "canary_percent", "canary_percent", "canary_by", "canary_by", "rollback_error_percent",
            "rollback_error_percent", "rollback_window", "rollback_window", "shadow_version", "shadow_version",
            "shadow_percent", "shadow_percent");

    /** The form as the page opens: the model's rollout as it is. */
    static RolloutForm of(Rollout rollout) {
        return new RolloutForm(text(rollout.stableVersion()), text(rollout.canaryVersion()),
                text(rollout.canaryPercent()), rollout.canaryBy() == null ? "" : rollout.canaryBy(),
                text(rollout.rollbackErrorPercent()), text(rollout.rollbackWindow()), text(rollout.shadowVersion()),
                text(rollout.shadowPercent()));
    }

    /** The inputs as posted, trimmed; nothing posted is the empty string. */
    static RolloutForm typed(String stable, String canary, String percent, String by, String rollbackPercent,
            String rollbackWindow, String shadow, String shadowPercent) {
        return new RolloutForm(trim(stable), trim(canary), trim(percent), trim(by), trim(rollbackPercent),
                trim(rollbackWindow), trim(shadow), trim(shadowPercent));
    }

    /**
     * The rollout to PUT, or null with a message per input (by input name) in {@code errors} when one that would be
     * sent is not a whole number.
     */
    RolloutRequest request(Map<String, String> errors) {
        Integer stableVersion = number(stable, "stable_version", "choose a version", errors);
        Integer canaryVersion = number(canary, "canary_version", "choose a version", errors);
        Integer canaryPercent = null;
        String canaryBy = null;
        Integer failurePercent = null;
        Integer window = null;
        if (canaryVersion != null) {
            canaryPercent = number(percent, "canary_percent", "a whole number from 1 to 99", errors);
            canaryBy = by.isEmpty() ? null : by;
            failurePercent = number(rollbackPercent, "rollback_error_percent",
                    "a whole number from 1 to 100, or empty for no automatic rollback", errors);
            window = failurePercent == null ? null
                    : number(rollbackWindow, "rollback_window", "a whole number from 10 to 100000, or empty for 100",
                            errors);
        }
        Integer shadowVersion = number(shadow, "shadow_version", "choose a version", errors);
        Integer shadowShare = shadowVersion == null ? null
                : number(shadowPercent, "shadow_percent", "a whole number from 1 to 100", errors);
        return errors.isEmpty() ? new RolloutRequest(stableVersion, canaryVersion, canaryPercent, canaryBy,
                failurePercent, window, shadowVersion, shadowShare) : null;
    }

    /**
     * The versions the selects offer: the model's versions not retired, and a version typed that is not among them
     * (retired since the page was opened), so that what was chosen stays chosen when the refusal is shown.
     */
    public List<Integer> choices(ModelDetail model) {
        TreeSet<Integer> all = new TreeSet<>(model.readyVersions());
        for (String typed : new String[] {stable, canary, shadow}) {
            if (typed.matches("[0-9]{1,9}")) {
                all.add(Integer.parseInt(typed));
            }
        }
        return List.copyOf(all);
    }

    public boolean stableIs(int version) {
        return stable.equals(String.valueOf(version));
    }

    public boolean canaryIs(int version) {
        return canary.equals(String.valueOf(version));
    }

    public boolean shadowIs(int version) {
        return shadow.equals(String.valueOf(version));
    }

    /** Whether the assignment select shows that option ({@code call} when none is given: platform-api's default). */
    public boolean byIs(String option) {
        return by.equals(option) || by.isEmpty() && Rollout.BY_CALL.equals(option);
    }

    /** Empty: null; a whole number of at most 9 digits: it; else null with the message for that input. */
    private static Integer number(String typed, String input, String message, Map<String, String> errors) {
        if (typed.isEmpty()) {
            return null;
        }
        if (!typed.matches("[0-9]{1,9}")) {
            errors.put(input, message);
            return null;
        }
        return Integer.parseInt(typed);
    }

    private static String text(Integer value) {
        return value == null ? "" : value.toString();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
