package dev.framewright.events.rules;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a string from a client may contain before it is stored, published or logged: text that every store and
 * consumer downstream takes as it is. PostgreSQL refuses NUL in {@code text} and {@code jsonb}; control characters
 * forge log lines and headers; unpaired surrogates are not encodable as UTF-8; U+FFFD is what a lenient decoder
 * left of bytes that were not UTF-8. All of them are refused (file names are cleaned instead, see
 * {@link #fileName}).
 *
 * <p>Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) are refused too: none of
 * these fields needs them (right-to-left text displays correctly without them), and they make a label or a file
 * name display as something it is not ("Trojan Source"). The marks U+200E and U+200F stay allowed. Lengths count
 * Unicode code points.
 */
public final class ClientText {

    public static final int MAX_LABELS = 32;
    /** Label keys: lower-case ASCII, at most 63 characters, so they work as filters and metric tags. */
    public static final String LABEL_KEY = "[a-z0-9][a-z0-9_.-]{0,62}";
    public static final int MAX_LABEL_VALUE = 256;
    public static final int MAX_FILE_NAME = 255;
    public static final int MAX_CONTENT_TYPE = 255;
    public static final int MAX_URL = 2048;
    /** Idempotency keys: 1 to 255 visible ASCII characters (a UUID, typically). */
    public static final String IDEMPOTENCY_KEY = "[\\x21-\\x7e]{1,255}";
    /** The name a file whose name cleans to nothing is given. */
    public static final String UNNAMED_FILE = "upload";

    private static final Pattern LABEL_KEY_PATTERN = Pattern.compile(LABEL_KEY);
    private static final Pattern IDEMPOTENCY_KEY_PATTERN = Pattern.compile(IDEMPOTENCY_KEY);
    /** RFC 6838 type/subtype (restricted names), then RFC 9110 parameters: {@code video/mp4; codecs="avc1"}. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
                    + "(?:[ \\t]*;[ \\t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+"
                    + "|\"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t \\x21-\\x7e])*\"))*");

    private ClientText() {
    }

    /** Null when {@code text} is clean and at most {@code maxLength} code points long; else why not. */
    public static String problem(String text, int maxLength) {
        if (text == null) {
            return null;
        }
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String bad = badCharacter(cp);
            if (bad != null) {
                return bad;
            }
            i += Character.charCount(cp);
            length++;
        }
        return length > maxLength ? "has " + length + " characters; at most " + maxLength : null;
    }

    /** Null for a code point text may hold; else why not. */
    static String badCharacter(int cp) {
        if (cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
            return "is not valid Unicode: it has an unpaired surrogate " + hex(cp);
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            return "must not contain control characters; found " + hex(cp);
        }
        if (cp == 0xFFFD) {
            return "contains U+FFFD, what is left of bytes that were not valid UTF-8";
        }
        if (bidiControl(cp)) {
            return "must not contain bidirectional override or isolate controls; found " + hex(cp);
        }
        return null;
    }

    private static boolean bidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** Every violation of a job's labels: their count, each key's pattern, each value's text. */
    public static List<Violation> labels(Map<String, String> labels) {
        List<Violation> out = new ArrayList<>();
        if (labels == null) {
            return out;
        }
        if (labels.size() > MAX_LABELS) {
            out.add(new Violation("labels", "at most " + MAX_LABELS + " labels"));
        }
        labels.forEach((key, value) -> {
            String field = "labels[" + quoted(key) + "]";
            if (key == null || !LABEL_KEY_PATTERN.matcher(key).matches()) {
                out.add(new Violation(field, "label keys must match " + LABEL_KEY));
            }
            if (value == null) {
                out.add(new Violation(field, "label values must be strings"));
            } else {
                String problem = problem(value, MAX_LABEL_VALUE);
                if (problem != null) {
                    out.add(new Violation(field, problem));
                }
            }
        });
        return out;
    }

    /**
     * A client's file name made safe to store and show: only the last segment of a path (after the last {@code /}
     * or {@code \}), without the characters {@link #problem} refuses, trimmed, at most {@value #MAX_FILE_NAME} code
     * points (the extension kept), and {@value #UNNAMED_FILE} when nothing is left or it is {@code .} or {@code ..}.
     * Null stays null. The name is for people only: no key or path is ever built from it.
     */
    public static String fileName(String raw) {
        if (raw == null) {
            return null;
        }
        int slash = Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\'));
        String last = raw.substring(slash + 1);
        StringBuilder kept = new StringBuilder(last.length());
        for (int i = 0; i < last.length(); ) {
            int cp = last.codePointAt(i);
            if (badCharacter(cp) == null) {
                kept.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        String name = kept.toString().strip();
        if (name.codePointCount(0, name.length()) > MAX_FILE_NAME) {
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
            int keep = MAX_FILE_NAME - ext.codePointCount(0, ext.length());
            name = name.substring(0, name.offsetByCodePoints(0, keep)) + ext;
        }
        return name.isEmpty() || name.equals(".") || name.equals("..") ? UNNAMED_FILE : name;
    }

    /** Null for a media type like {@code video/mp4} (parameters allowed) of at most 255 characters; else why not. */
    public static String contentTypeProblem(String contentType) {
        if (contentType == null) {
            return null;
        }
        if (contentType.length() > MAX_CONTENT_TYPE) {
            return "has " + contentType.length() + " characters; at most " + MAX_CONTENT_TYPE;
        }
        return MEDIA_TYPE.matcher(contentType).matches() ? null : "must be a media type like video/mp4";
    }

    /** Null for an absolute http(s) URL with a host, of at most 2048 characters; else why not. */
    public static String webhookUrlProblem(String url) {
        if (url == null) {
            return null;
        }
        String problem = problem(url, MAX_URL);
        if (problem != null) {
            return problem;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && !uri.getHost().isBlank()) {
                return null;
            }
        } catch (URISyntaxException e) {
            // not a URL at all
        }
        return "must be an absolute http or https URL";
    }

    /** Null for 1 to 255 visible ASCII characters; else why not. */
    public static String idempotencyKeyProblem(String key) {
        if (key == null) {
            return null;
        }
        return IDEMPOTENCY_KEY_PATTERN.matcher(key).matches() ? null
                : "must be 1 to 255 visible ASCII characters (no spaces or control characters), e.g. a UUID";
    }

    /**
     * A client's string as a JSON string literal, for naming it in a field path ({@code labels["k"]}) without
     * copying its control characters into the answer.
     */
    public static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c) || bidiControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String hex(int cp) {
        return String.format(Locale.ROOT, "U+%04X", cp);
    }
}
