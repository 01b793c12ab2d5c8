package dev.framewright.api.job;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range (RFC 9110 §14.1.2), resolved against a file's size. Multiple ranges are not supported and,
 * as the RFC allows, are answered with the whole file.
 */
record ByteRange(long first, long last) {

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** @return null to serve the whole file, {@link #UNSATISFIABLE} for a 416, else the range to serve */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            return first >= size || last < first ? UNSATISFIABLE : new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null; // absurdly large numbers: ignore the header, as for any malformed range
        }
    }

    long length() {
        return last - first + 1;
    }

    String header() {
        return "bytes=" + first + "-" + last;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
