package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.web.FormError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client networks a key may be used from, as typed in a textarea: one per line, commas also separating, spaces
 * around an entry and blank lines ignored. The entries are sent to platform-api as typed (it checks and canonicalises
 * them); its violations, which name an entry by its index in the list sent ({@code allowed_networks[2]}), are told back
 * by the line the person typed it on.
 */
final class NetworksInput {

    /** The input's field name, in the form and in {@link FormError#fields()}: platform-api's name for the list. */
    static final String FIELD = "allowed_networks";

    /** An entry of the list, in any of the ways a field path may name it ({@code put.body.allowed_networks[2]}). */
    private static final Pattern ENTRY = Pattern.compile("(?i)allowed_?networks\\[(\\d+)]");

    /** An entry and the line (from 1) it was typed on. */
    private record Entry(String network, int line) {
    }

    private final List<Entry> entries;

    private NetworksInput(List<Entry> entries) {
        this.entries = entries;
    }

    /** Reads what was typed (null: nothing). */
    static NetworksInput of(String typed) {
        List<Entry> entries = new ArrayList<>();
        if (typed != null) {
            String[] lines = typed.split("\\r\\n|\\r|\\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String part : lines[i].split(",")) {
                    if (!part.isBlank()) {
                        entries.add(new Entry(part.strip(), i + 1));
                    }
                }
            }
        }
        return new NetworksInput(List.copyOf(entries));
    }

    /** The list to send, in the order typed; null when nothing was typed (the key works from anywhere). */
    List<String> networks() {
        return entries.isEmpty() ? null : entries.stream().map(Entry::network).toList();
    }

    /**
     * platform-api's refusal for the form {@code form}: its message and field errors, the errors of the list's entries
     * gathered under {@link #FIELD} and each told by its line ("line 3, 10.1.2.3/8: has bits set beyond /8 ...").
     */
    FormError refused(String form, ApiProblem problem) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> onList = new ArrayList<>();
        // the problem's field errors come unordered: the entries' are told in the order they were typed
        Map<Long, String> onEntries = new TreeMap<>();
        problem.fieldErrors().forEach((field, message) -> {
            Matcher entry = ENTRY.matcher(field);
            if (entry.find()) {
                long index = entry.group(1).length() > 9 ? Long.MAX_VALUE : Long.parseLong(entry.group(1));
                onEntries.merge(index, entryError(index, message), (a, b) -> a + "; " + b);
            } else if (FormError.lastSegment(field).replace("_", "").equalsIgnoreCase("allowednetworks")) {
                onList.add(message);
            } else {
                fields.put(field, message);
            }
        });
        onList.addAll(onEntries.values());
        if (!onList.isEmpty()) {
            fields.put(FIELD, String.join("; ", onList));
        }
        return new FormError(form, problem.message(), fields, FormError.status(problem));
    }

    private String entryError(long index, String message) {
        if (index >= entries.size()) {
            return "entry " + (index == Long.MAX_VALUE ? "?" : index) + ": " + message;
        }
        Entry entry = entries.get((int) index);
        return "line " + entry.line() + ", " + entry.network() + ": " + message;
    }
}
