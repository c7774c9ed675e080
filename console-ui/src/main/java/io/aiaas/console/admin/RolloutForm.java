package io.aiaas.console.admin;

import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.Rollout;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rollout form of the admin model page, as typed: the stable version (empty: the newest version a worker serves),
 * the canary version (empty: no canary) and the canary's percent. {@link #request} turns it into the whole rollout
 * to PUT; the percent is sent only with a canary (without one it is left out, whatever the input holds). What the
 * console checks is only that the inputs are whole numbers; a canary without its percent, one version as both or a
 * percent outside 1-99 is platform-api's to refuse, beside the form.
 *
 * @param stable {@code stable_version} as posted: a version number or empty
 * @param canary {@code canary_version} as posted: a version number or empty
 * @param percent {@code canary_percent} as posted
 */
public record RolloutForm(String stable, String canary, String percent) {

    /** Inputs of the form by the field names platform-api gives its violations, for {@code FormError.beside}. */
    static final Map<String, String> INPUTS = Map.of("stable_version", "stable_version", "canary_version",
            "canary_version", "canary_percent", "canary_percent");

    /** The form as the page opens: the model's rollout as it is. */
    static RolloutForm of(Rollout rollout) {
        return new RolloutForm(text(rollout.stableVersion()), text(rollout.canaryVersion()),
                text(rollout.canaryPercent()));
    }

    /** The inputs as posted, trimmed; nothing posted is the empty string. */
    static RolloutForm typed(String stable, String canary, String percent) {
        return new RolloutForm(trim(stable), trim(canary), trim(percent));
    }

    /**
     * The rollout to PUT, or null with a message per input (by input name: stable_version, canary_version,
     * canary_percent) in {@code errors} when one is not a whole number.
     */
    Rollout request(Map<String, String> errors) {
        Integer stableVersion = number(stable, "stable_version", "choose a version", errors);
        Integer canaryVersion = number(canary, "canary_version", "choose a version", errors);
        Integer canaryPercent = canaryVersion == null ? null
                : number(percent, "canary_percent", "a whole number from 1 to 99", errors);
        return errors.isEmpty() ? new Rollout(stableVersion, canaryVersion, canaryPercent) : null;
    }

    /**
     * The versions the selects offer: the model's versions not retired, and a version typed that is not among them
     * (retired since the page was opened), so that what was chosen stays chosen when the refusal is shown.
     */
    public List<Integer> choices(ModelDetail model) {
        TreeSet<Integer> all = new TreeSet<>(model.readyVersions());
        for (String typed : new String[] {stable, canary}) {
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
