package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BannerTest {

    @Test
    void bannerNamesTheConsoleUrlAndTheThreeLogins() {
        Path dir = Path.of("target", "banner-test");
        LocalStackSettings settings = new LocalStackSettings(dir, dir, dir, "127.0.0.1", 8180, 8080, 8090, 18081, 0,
                "cpu", "x".repeat(48), Duration.ofSeconds(5));
        DemoSeeder.Result demo = new DemoSeeder.Result("acme", "aiaas_secret", "id", "iris", 1, 1.0, 30,
                new float[] {4.9f, 3.0f, 1.4f, 0.2f}, "setosa", "{}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Banner.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), settings, demo);
        String banner = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains("console           http://127.0.0.1:18081"), banner);
        assertTrue(banner.contains("alice/alice (acme's admin)"), banner);
        assertTrue(banner.contains("bob/bob (globex's admin)"), banner);
        assertTrue(banner.contains("admin/admin (platform admin)"), banner);
    }
}
