package io.aiaas.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A stack of its own (Keycloak shared with the other suites, {@link SharedKeycloak}), seeded with the demo, and the
 * browsers of the people in one class of console browser tests: registered as a static {@code @RegisterExtension}
 * field, it starts the stack before the class's {@code @BeforeAll} methods, closes browsers and stack after its last
 * test (or as the JVM exits), and when a test fails prints the stack's logs and what each browser shows, with a
 * screenshot of each: the answer is usually in one of them. State and logs go to {@code target/<name>-<millis>/},
 * screenshots to {@code target/<name>-screenshots/} (emptied first, so a page that no longer exists leaves no old
 * picture).
 */
final class ConsoleSession implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final String name;
    private final Path screenshots;
    private final Map<String, ConsoleBrowser> browsers = new ConcurrentHashMap<>();
    private LocalStack stack;
    private Path stateDir;
    private Thread stopOnExit;
    private DemoSeeder.Result demo;

    ConsoleSession(String name) {
        this.name = name;
        this.screenshots = Path.of("target", name + "-screenshots");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stateDir = Path.of("target", name + "-" + System.currentTimeMillis());
        stack = SharedKeycloak.stack(stateDir, message -> System.err.println("CHILD DIED: " + message));
        stopOnExit = new Thread(this::closeAll, name + "-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        demo = stack.seedDemo();
        emptyScreenshotFolder();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeAll();
        if (stopOnExit != null) {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder out = new StringBuilder(context.getDisplayName()).append(" failed");
        browsers.forEach((who, browser) -> {
            try {
                out.append(System.lineSeparator()).append("  ").append(who).append(": ")
                        .append(browser.describePage());
                browser.screenshot("failed/" + context.getRequiredTestMethod().getName() + "-" + who);
            } catch (RuntimeException e) {
                out.append(System.lineSeparator()).append("  ").append(who).append(": (browser gone: ")
                        .append(e.getMessage()).append(')');
            }
        });
        if (stack != null) {
            out.append(System.lineSeparator()).append(stack.diagnostics(30));
        }
        System.err.println(out);
    }

    LocalStack stack() {
        return stack;
    }

    /** What the demo seeding made: the iris model, acme's key, the sign-up plans. */
    DemoSeeder.Result demo() {
        return demo;
    }

    Path stateDir() {
        return stateDir;
    }

    Path screenshots() {
        return screenshots;
    }

    /** The browser an earlier test left for this person, or null. */
    ConsoleBrowser browser(String who) {
        return browsers.get(who);
    }

    /** A fresh browser for this person, closing the one they had. */
    ConsoleBrowser newBrowser(String who) {
        ConsoleBrowser old = browsers.remove(who);
        if (old != null) {
            old.close();
        }
        ConsoleBrowser browser = ConsoleBrowser.start(who, stack.consoleUrl(), screenshots, stateDir.resolve("logs"));
        browsers.put(who, browser);
        return browser;
    }

    /** The seeded user's browser (password = user name), signed in (again) when an earlier flow did not leave it so. */
    ConsoleBrowser signedIn(String username) {
        ConsoleBrowser browser = browsers.get(username);
        if (browser != null) {
            browser.open("/home");
            if (browser.currentUrl().startsWith(stack.consoleUrl()) && browser.has("#whoami")) {
                return browser;
            }
            if (browser.onKeycloakLoginPage(stack.keycloakUrl())) {
                browser.fillKeycloakLogin(username, username);
                return browser;
            }
        }
        return newBrowser(username).signIn(username, username);
    }

    /**
     * A new browser of someone who registers on Keycloak's own registration form (offered on its sign-in page) and
     * is back on the console, signed in and belonging to no tenant; their password is {@link #password}.
     */
    ConsoleBrowser registered(String username) {
        ConsoleBrowser browser = newBrowser(username);
        browser.open("/");
        browser.click("a#login");
        browser.click("#kc-registration a");
        browser.waitFor("#kc-register-form");
        browser.find("#username").sendKeys(username);
        browser.find("#email").sendKeys(username + "@example.test");
        browser.find("#firstName").sendKeys(username);
        browser.find("#lastName").sendKeys("Stranger");
        browser.find("#password").sendKeys(password(username));
        browser.find("#password-confirm").sendKeys(password(username));
        browser.find("#kc-register-form [type=submit]").click();
        browser.waitUntil(username + " back on the console, registered",
                d -> browser.currentUrl().startsWith(stack.consoleUrl()) && browser.has("#no-tenant"));
        return browser;
    }

    /** The password {@link #registered} gives a person. */
    static String password(String username) {
        return username + "-pass-1";
    }

    private void emptyScreenshotFolder() throws IOException {
        if (Files.isDirectory(screenshots)) {
            try (Stream<Path> files = Files.walk(screenshots)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (!file.equals(screenshots)) {
                        Files.delete(file);
                    }
                }
            }
        }
        Files.createDirectories(screenshots);
    }

    private void closeAll() {
        browsers.values().forEach(browser -> {
            try {
                browser.close();
            } catch (RuntimeException e) {
                System.err.println("could not close the browser of " + browser.who() + ": " + e);
            }
        });
        browsers.clear();
        if (stack != null) {
            stack.close();
        }
    }
}
