package io.aiaas.console.admin;

import io.aiaas.console.api.Deprecation;
import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.Rollout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sunsets section of the admin model page: one row per version that is not retired, with its sunset in words, a
 * warning when it holds a role in the rollout, and its form ({@link SunsetForm}). A version whose form (or cancel
 * button) was refused keeps its row with what was typed, even when it is retired or gone since the page was opened, so
 * that the refusal is shown beside it.
 */
public final class SunsetSection {

    private final List<Row> rows;

    /**
     * @param typed the form as posted when it was refused, else null
     * @param refused the version whose form or cancel button was refused, else null
     */
    SunsetSection(ModelDetail model, SunsetForm typed, Integer refused) {
        Map<Integer, ModelVersion> byNumber = new TreeMap<>();
        model.versions().forEach(v -> byNumber.put(v.version(), v));
        TreeSet<Integer> shown = new TreeSet<>(model.readyVersions());
        if (refused != null) {
            shown.add(refused);
        }
        List<Row> all = new ArrayList<>();
        for (int number : shown) {
            ModelVersion current = byNumber.get(number);
            SunsetForm form = typed != null && typed.version() == number ? typed
                    : current != null ? SunsetForm.of(current) : SunsetForm.blank(number);
            all.add(new Row(number, current, form, successors(model, number, form), role(model.rollout(), number)));
        }
        this.rows = List.copyOf(all);
    }

    /** The section as the page opens: nothing typed, nothing refused. */
    static SunsetSection of(ModelDetail model) {
        return new SunsetSection(model, null, null);
    }

    public List<Row> rows() {
        return rows;
    }

    /**
     * The successors the select offers: the model's other versions not retired, and a successor typed that is not
     * among them (retired since the page was opened), so that what was chosen stays chosen when the refusal is shown.
     */
    private static List<Integer> successors(ModelDetail model, int version, SunsetForm form) {
        TreeSet<Integer> all = new TreeSet<>(model.readyVersions());
        if (form.successor().matches("[0-9]{1,9}")) {
            all.add(Integer.parseInt(form.successor()));
        }
        all.remove(version);
        return List.copyOf(all);
    }

    /** What the version is in the rollout ("stable version", "canary", "shadow"), or null. */
    private static String role(Rollout rollout, int version) {
        if (rollout.isStable(version)) {
            return "stable version";
        }
        if (rollout.isCanary(version)) {
            return "canary";
        }
        return rollout.isShadow(version) ? "shadow" : null;
    }

    /**
     * One version's row.
     *
     * @param current the version as the model card shows it, or null when it is not there (any more)
     * @param successors the versions the successor select offers
     * @param rolloutRole what the version is in the rollout, or null
     */
    public record Row(int version, ModelVersion current, SunsetForm form, List<Integer> successors,
            String rolloutRole) {

        /** Whether a sunset is scheduled (and the version not retired yet): the cancel button is shown. */
        public boolean scheduled() {
            return current != null && current.sunsetScheduled();
        }

        /**
         * The version's sunset in words: "Sunset 2027-01-31 00:00 UTC → version 3, deprecated since 2026-12-01 10:00
         * UTC.", "No sunset scheduled.", or for a version retired or gone since the page was opened, that.
         */
        public String state() {
            if (current == null) {
                return "Version " + version + " is not among the model's versions.";
            }
            Deprecation d = current.deprecation();
            if (current.retired()) {
                return current.retiredAtSunset() ? "Retired at its sunset, " + d.sunsetText() + "." : "Retired.";
            }
            if (d == null) {
                return "No sunset scheduled.";
            }
            return "Sunset " + d.sunsetText() + (d.successor() != null ? " → version " + d.successor() : "")
                    + ", deprecated since " + d.deprecatedText() + ".";
        }

        /**
         * With a sunset scheduled for a version the rollout names: "Version 2 is the rollout's stable version: at
         * sunset it is retired and the rollout forgets it, …"; else null.
         */
        public String rolloutWarning() {
            if (!scheduled() || rolloutRole == null) {
                return null;
            }
            return "Version " + version + " is the rollout's " + rolloutRole + ": at sunset it is retired and the"
                    + " rollout forgets it. Change the rollout before then"
                    + (current.deprecation().successor() != null
                            ? " (to version " + current.deprecation().successor() + ", say)." : ".");
        }
    }
}
