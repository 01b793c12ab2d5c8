package dev.framewright.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.localstack.Framewright;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's headless Chromium driven through its own chromedriver
 * ({@code apt-get install chromium chromium-driver}; nothing is downloaded). Without them the test is skipped.
 * Screenshots go to {@code system-tests/target/screenshots/}.
 */
@EnabledIf(value = "chromiumInstalled",
        disabledReason = "No /usr/bin/chromium + /usr/bin/chromedriver: apt-get install chromium chromium-driver to run the browser test")
class ConsoleBrowserTest extends SystemTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private WebDriver driver;
    private Path screenshots;

    static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeEach
    void openBrowser() throws Exception {
        Path root = Path.of(System.getProperty("framewright.root", "..")).toAbsolutePath().normalize();
        screenshots = Files.createDirectories(root.resolve("system-tests/target/screenshots"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void shouldServeTheConsoleWithoutAKey() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/", "/console/app.js", "/console/vendor/hls.min.mjs"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(RunningSystem.get().apiBaseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        }
        // The API itself still wants one.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(RunningSystem.get().apiBaseUrl() + "/v1/jobs")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldUploadWatchProgressToCompletionAndPlayTheVideo() throws Exception {
        Path clip = Media.clip(media, 320, 240, 4);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get(RunningSystem.get().apiBaseUrl() + "/");

        // The key, once: kept in localStorage.
        WebElement key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.sendKeys(Framewright.DEV_API_KEY);
        driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("submit")));

        // A problem from the server shows its title and detail, not a stack trace: an unknown queue.
        driver.findElement(By.id("file")).sendKeys(clip.toAbsolutePath().toString());
        WebElement queue = driver.findElement(By.id("queue"));
        queue.clear();
        queue.sendKeys("nowhere");
        driver.findElement(By.id("submit")).click();
        WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
        wait.until(d -> !alert.getText().isBlank());
        assertThat(alert.getText()).contains("unknown_queue").doesNotContain("Exception").doesNotContain("\tat ");
        queue.clear();
        queue.sendKeys("default");

        // The advanced editor validates as you type.
        driver.findElement(By.id("advanced")).click();
        WebElement editor = driver.findElement(By.id("spec"));
        editor.sendKeys("oops");
        wait.until(d -> "true".equals(editor.getAttribute("aria-invalid")));
        assertThat(driver.findElement(By.id("spec-state")).getText()).startsWith("JSON:");
        driver.findElement(By.id("advanced")).click(); // back to the presets

        // Presets: a small MP4, an HLS ladder, and thumbnails with their sprite (which drives the scrubbing preview).
        driver.findElement(By.cssSelector("input[value=mp4-720]")).click();
        driver.findElement(By.cssSelector("input[value=mp4-360]")).click();
        driver.findElement(By.cssSelector("input[value=thumbs]")).click();
        driver.findElement(By.cssSelector("input[value=hls]")).click();
        driver.findElement(By.id("submit")).click();
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(ExpectedConditions.urlMatches("#/jobs/[0-9a-f-]{36}$"));
        String id = driver.getCurrentUrl().replaceFirst(".*#/jobs/", "");

        // The bars move live over the event stream, up to 100 %.
        Set<Integer> seen = new TreeSet<>();
        new WebDriverWait(driver, Duration.ofMinutes(3)).pollingEvery(Duration.ofMillis(100)).until(d -> {
            String now = d.findElement(By.cssSelector("[data-testid=job-progress]")).getAttribute("aria-valuenow");
            seen.add(Integer.parseInt(now));
            return "100".equals(now) && "succeeded".equals(d.findElement(By.id("job-status")).getText());
        });
        assertThat(seen).as("progress values shown").contains(100).hasSizeGreaterThan(1);
        assertThat(driver.findElement(By.cssSelector("[data-testid='output-progress-mp4-360p']"))
                .getAttribute("aria-valuenow")).isEqualTo("100");
        shot("console-job-done.png");

        // Open the job from the list.
        driver.get(RunningSystem.get().apiBaseUrl() + "/#/");
        WebElement link = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#jobs a[href='#/jobs/" + id + "']")));
        shot("console-home.png");
        link.click();

        // The video plays in the page: its currentTime advances.
        WebElement video = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            WebElement v = d.findElement(By.cssSelector("video[data-output-video='mp4-360p']"));
            return v.getAttribute("src") != null && v.getAttribute("src").startsWith("blob:") ? v : null;
        });
        JavascriptExecutor js = (JavascriptExecutor) driver;
        Object played = js.executeAsyncScript("const v = arguments[0], done = arguments[arguments.length - 1];"
                + "v.muted = true; v.play().then(() => done('playing'), e => done(String(e)));", video);
        assertThat(played).isEqualTo("playing");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d ->
                ((Number) js.executeScript("return arguments[0].currentTime", video)).doubleValue() > 0.5);
        // The thumbnails' sprite + VTT give a scrubbing preview under the player.
        assertThat(driver.findElements(By.cssSelector("[data-testid=scrub]"))).hasSize(1);
        assertThat(driver.findElements(By.cssSelector("[data-output=thumbnails] .thumbs img"))).isNotEmpty();
        noHorizontalScroll();
        shot("console-playing.png");

        // The HLS ladder plays through hls.js, which sends the key with every playlist and segment request.
        WebElement hls = driver.findElement(By.cssSelector("video[data-output-video='hls']"));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d ->
                d.findElements(By.cssSelector("#rendition-hls option")).size() >= 2);
        assertThat(js.executeAsyncScript("const v = arguments[0], done = arguments[arguments.length - 1];"
                + "v.muted = true; v.play().then(() => done('playing'), e => done(String(e)));", hls)).isEqualTo("playing");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d ->
                ((Number) js.executeScript("return arguments[0].currentTime", hls)).doubleValue() > 0.5);

        // A phone: one column, nothing wider than the screen.
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        noHorizontalScroll();
        shot("console-phone-job.png");
        driver.get(RunningSystem.get().apiBaseUrl() + "/#/");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("#jobs a")).isEmpty());
        noHorizontalScroll();
        shot("console-phone-home.png");
    }

    private void noHorizontalScroll() {
        Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth");
        Object widest = ((JavascriptExecutor) driver).executeScript("return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)"
                + ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"
                + " + ' | overflowing: ' + [...document.querySelectorAll('main *')]"
                + ".filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0).slice(-4)"
                + ".map(e => e.tagName + '.' + e.className + ' ' + e.clientWidth + '/' + e.scrollWidth).join(', ')");
        assertThat(overflow.intValue()).as("page wider than the window by; too wide: " + widest).isLessThanOrEqualTo(0);
    }

    private void shot(String name) throws Exception {
        File file = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), screenshots.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
