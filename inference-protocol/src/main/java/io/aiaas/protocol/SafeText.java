package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.regex.Pattern;

/**
 * Text that is safe to echo in an error message: valid Unicode (an unpaired surrogate cannot be written as UTF-8),
 * bounded in length, and free of the parser's internals.
 */
public final class SafeText {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)|\\s*\\[Source: [^\\]]*\\]");
    private static final Pattern FROM_CONSTRAINT = Pattern.compile("\\s*\\([^()]*`[^`]*`[^()]*\\)");
    private static final Pattern ENABLE_FEATURE = Pattern.compile(":?\\s*(?:enable|disable) `[^`]*`.*$");
    private static final Pattern BACKTICKED = Pattern.compile("`[^`]*`");

    private SafeText() {
    }

    /** Whether the string holds a high surrogate not followed by a low one, or a low one not preceded by a high one. */
    public static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The string with unpaired surrogates replaced by U+FFFD and cut to {@code max} characters (never inside a
     * surrogate pair), "..." marking a cut.
     */
    public static String forMessage(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 3);
        for (int i = 0; i < s.length(); i++) {
            if (out.length() >= max) {
                return out.append("...").toString();
            }
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Jackson's reason for refusing a document, without its source description, the Java names of its limits or
     * the feature that would allow what was sent: {@code Non-standard token 'NaN'}, {@code Document nesting depth
     * (1001) exceeds the maximum allowed (1000)}.
     */
    public static String jsonProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable JSON" : e.getOriginalMessage();
        message = SOURCE.matcher(message).replaceAll("");
        message = message.replaceAll("\\(1000, from `[^`]*`\\)", "(1000)");
        message = message.replaceAll("\\((\\d+), from `[^`]*`\\)", "($1)");
        message = FROM_CONSTRAINT.matcher(message).replaceAll("");
        message = ENABLE_FEATURE.matcher(message).replaceAll("");
        message = BACKTICKED.matcher(message).replaceAll("a value");
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return forMessage(message.trim(), 300);
    }
}
