package dev.framewright.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile as instructions: comments dropped, continuation lines joined. Enough for static checks. */
record Dockerfile(Path path, List<Instruction> instructions) {

    record Instruction(String keyword, String args) {
    }

    static Dockerfile parse(Path path) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Repo.read(path).split("\n", -1)) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String full = pending.toString().strip();
            pending.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            int space = full.indexOf(' ');
            out.add(new Instruction(full.substring(0, space < 0 ? full.length() : space).toUpperCase(Locale.ROOT),
                    space < 0 ? "" : full.substring(space + 1).strip()));
        }
        return new Dockerfile(path, out);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    String last(String keyword) {
        List<String> all = all(keyword);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }
}
