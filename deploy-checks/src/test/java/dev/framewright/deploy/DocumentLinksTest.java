package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Documentation is true: no relative link in a Markdown file, and no mention of a notes/ file, points nowhere. */
class DocumentLinksTest {

    /** [text](target) with a relative target; anchors and queries are cut off. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s#?]+)[^)]*\\)");
    private static final Pattern NOTES = Pattern.compile("notes/[A-Za-z0-9_.-]+\\.md");
    private static final List<String> SKIPPED = List.of("target", "node_modules", ".git", ".framewright", ".mvn");

    @Test
    void everyRelativeMarkdownLinkNamesAFileOfTheRepository() throws IOException {
        Path root = Repo.root();
        List<String> dangling = new ArrayList<>();
        for (Path doc : files(root, ".md")) {
            Matcher m = MARKDOWN_LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = target.startsWith("/") ? root.resolve(target.substring(1))
                        : doc.getParent().resolve(target);
                if (!Files.exists(resolved.normalize())) {
                    dangling.add(root.relativize(doc) + " -> " + target);
                }
            }
        }
        assertThat(dangling).as("links to files that are not in the repository").isEmpty();
    }

    @Test
    void noFileMentionsANotesFileThatDoesNotExist() throws IOException {
        Path root = Repo.root();
        List<String> dangling = new ArrayList<>();
        for (Path file : files(root, ".md", ".java", ".xml", ".properties", ".yaml", ".yml", ".sh")) {
            Matcher m = NOTES.matcher(Files.readString(file));
            while (m.find()) {
                if (!Files.exists(root.resolve(m.group()))) {
                    dangling.add(root.relativize(file) + " -> " + m.group());
                }
            }
        }
        assertThat(dangling).as("mentions of notes/ files that are not in the repository").isEmpty();
    }

    private static List<Path> files(Path root, String... suffixes) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> root.relativize(p).toString().split("/").length > 0
                            && SKIPPED.stream().noneMatch(s -> root.relativize(p).startsWith(s)
                                    || root.relativize(p).toString().contains("/" + s + "/")))
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
                    .filter(p -> !p.endsWith("DocumentLinksTest.java"))
                    .toList();
        }
    }
}
