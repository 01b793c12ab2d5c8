package dev.framewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code NAME=TYPE[:PARAM=VALUE[,PARAM=VALUE...]]}, e.g. {@code 720p=video:height=720,crf=23} or
 * {@code ladder=hls:renditions=[{"height":360},{"height":720}]}: one output of the spec. Values are JSON when they
 * read as JSON (numbers, true/false, arrays, objects), else strings.
 */
final class OutputArg {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private OutputArg() {
    }

    static ObjectNode parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw usage(arg, "expected NAME=TYPE[:PARAM=VALUE,...]");
        }
        String name = arg.substring(0, eq);
        if (!NAME.matcher(name).matches()) {
            throw usage(arg, "an output name is lower-case letters, digits, '-' and '_'");
        }
        String rest = arg.substring(eq + 1);
        int colon = rest.indexOf(':');
        String type = colon < 0 ? rest : rest.substring(0, colon);
        if (type.isBlank()) {
            throw usage(arg, "the output type is missing");
        }
        ObjectNode output = Api.JSON.createObjectNode().put("name", name).put("type", type);
        if (colon >= 0) {
            for (String param : split(rest.substring(colon + 1))) {
                int p = param.indexOf('=');
                if (p <= 0) {
                    throw usage(arg, "parameter '" + param + "' is not PARAM=VALUE");
                }
                output.set(param.substring(0, p).trim(), value(param.substring(p + 1).trim()));
            }
        }
        return output;
    }

    /** Splits on commas outside brackets, so JSON arrays and objects stay whole. */
    private static List<String> split(String params) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char c : params.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '[' || c == '{')) {
                depth++;
            } else if (!quoted && (c == ']' || c == '}')) {
                depth--;
            }
            if (c == ',' && depth == 0 && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }

    private static JsonNode value(String text) {
        if (text.isEmpty()) {
            return TextNode.valueOf(text);
        }
        char c = text.charAt(0);
        if (c == '[' || c == '{' || c == '"' || c == '-' || Character.isDigit(c) || text.equals("true")
                || text.equals("false") || text.equals("null")) {
            try {
                return Api.JSON.readTree(text);
            } catch (IOException e) {
                // not JSON after all: a string
            }
        }
        return TextNode.valueOf(text);
    }

    private static CliException usage(String arg, String why) {
        return new CliException(Main.EXIT_USAGE, "--output '" + arg + "': " + why);
    }
}
