package io.aiaas.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's headless Chromium on the console: signs in through the real Keycloak login page, opens pages by
 * path, reads elements by the contract's ids, saves screenshots, and hands its session cookies to plain HTTP
 * ({@link #http()}) for status codes and timings the browser cannot tell. Debian's chromium and chromedriver
 * (installed by ensure-browser.sh) are given explicitly, so Selenium Manager never looks for a driver.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String who;
    private final String consoleUrl;
    private final Path screenshots;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private ConsoleBrowser(String who, String consoleUrl, Path screenshots, ChromeDriverService service,
            ChromeDriver driver) {
        this.who = who;
        this.consoleUrl = consoleUrl;
        this.screenshots = screenshots;
        this.service = service;
        this.driver = driver;
    }

    /** A new browser with an empty profile (no cookies); {@code who} names it in messages and its driver log. */
    static ConsoleBrowser start(String who, String consoleUrl, Path screenshots, Path logDir) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver-" + who + ".log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight());
        try {
            Files.createDirectories(logDir);
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new ConsoleBrowser(who, consoleUrl, screenshots, service, driver);
    }

    String who() {
        return who;
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Signs in from the public landing page: {@code a#login}, then Keycloak's own form ({@code #username},
     * {@code #password}, {@code #kc-login}); answers once the browser is back on the console.
     */
    ConsoleBrowser signIn(String username, String password) {
        open("/");
        click("a#login");
        fillKeycloakLogin(username, password);
        return this;
    }

    /** Fills and submits Keycloak's login form, which the browser must be showing, and waits to be back. */
    void fillKeycloakLogin(String username, String password) {
        waitFor("#username").sendKeys(username);
        driver.findElement(By.cssSelector("#password")).sendKeys(password);
        driver.findElement(By.cssSelector("#kc-login")).click();
        waitUntil("back on the console after signing in as " + username,
                d -> currentUrl().startsWith(consoleUrl) && !has("#kc-login"));
    }

    /** Opens a console page by path ({@code /t/acme/keys}). */
    void open(String path) {
        driver.get(consoleUrl + path);
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** The path of the page shown, when it is a console page; the whole URL otherwise. */
    String currentPath() {
        String url = currentUrl();
        if (!url.startsWith(consoleUrl)) {
            return url;
        }
        return URI.create(url).getRawPath();
    }

    boolean onKeycloakLoginPage(String keycloakUrl) {
        return currentUrl().startsWith(keycloakUrl) && has("#username") && has("#kc-login");
    }

    String pageSource() {
        return driver.getPageSource();
    }

    boolean has(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    WebElement find(String css) {
        try {
            return driver.findElement(By.cssSelector(css));
        } catch (NoSuchElementException e) {
            throw new AssertionError(who + ": no " + css + " on " + describePage(), e);
        }
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The element's text; read again when a polling page replaced the element between finding and reading it. */
    String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return find(css).getText().trim();
            } catch (StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    void click(String css) {
        waitFor(css).click();
    }

    /** Waits until the element is in the page; fails with what the page shows instead. */
    WebElement waitFor(String css) {
        return waitFor(css, WAIT);
    }

    WebElement waitFor(String css, Duration timeout) {
        waitUntil(css + " in the page", d -> has(css), timeout);
        return driver.findElement(By.cssSelector(css));
    }

    /** Waits until the element shows non-blank text, and answers it. */
    String waitForText(String css, Duration timeout) {
        waitUntil(css + " with text", d -> has(css) && !driver.findElement(By.cssSelector(css)).getText().isBlank(),
                timeout);
        return text(css);
    }

    void waitUntil(String what, Function<WebDriver, Boolean> condition) {
        waitUntil(what, condition, WAIT);
    }

    /**
     * Waits until the condition holds. A page that polls (the model page's versions table) replaces its elements
     * while the condition reads them; an element gone stale between finding and reading it means the page moved on,
     * so the condition is asked again instead of failing the test.
     */
    void waitUntil(String what, Function<WebDriver, Boolean> condition, Duration timeout) {
        try {
            new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (TimeoutException e) {
            throw new AssertionError(who + ": waited " + timeout.toSeconds() + " s for " + what + "; "
                    + describePage(), e);
        }
    }

    /** The URL, title and start of the visible text: what a failure message needs to say what went wrong. */
    String describePage() {
        String body;
        try {
            body = driver.findElement(By.tagName("body")).getText().replaceAll("\\s+", " ").trim();
        } catch (RuntimeException e) {
            body = "(no body)";
        }
        return "the browser shows " + currentUrl() + " titled '" + driver.getTitle() + "': "
                + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /**
     * Saves the whole page (not only the window) as {@code <name>.png}: the viewport is stretched to the page's height
     * for the shot and put back after it (a stretched viewport left behind would make the next page as tall); the
     * window's own screenshot if Chromium refuses.
     */
    Path screenshot(String name) {
        Path file = screenshots.resolve(name + ".png");
        byte[] png;
        try {
            long width = ((Number) script("return document.documentElement.clientWidth")).longValue();
            long height = Math.min(8000, ((Number) script("return Math.max(document.body.scrollHeight, "
                    + "document.documentElement.scrollHeight)")).longValue());
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            try {
                Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
                png = Base64.getDecoder().decode((String) shot.get("data"));
            } finally {
                driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            }
        } catch (RuntimeException e) {
            png = driver.getScreenshotAs(OutputType.BYTES);
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Plain HTTP with this browser's console cookies: same session, no redirects followed. */
    ConsoleHttp http() {
        // the cookies the browser would send to the console (same host; ports do not separate cookies)
        String current = currentUrl();
        if (!current.startsWith(consoleUrl)) {
            open("/");
        }
        String header = driver.manage().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return new ConsoleHttp(consoleUrl, header);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
