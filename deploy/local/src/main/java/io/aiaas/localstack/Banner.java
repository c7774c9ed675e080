package io.aiaas.localstack;

import java.io.PrintStream;
import java.util.Locale;

/** Prints what runs where and the commands to try, once the demo is seeded. */
final class Banner {

    private Banner() {
    }

    static void print(PrintStream out, LocalStackSettings s, DemoSeeder.Result demo) {
        String api = s.apiUrl();
        String sample = String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f",
                demo.sample()[0], demo.sample()[1], demo.sample()[2], demo.sample()[3]);
        String tokenCmd = "curl -s -d grant_type=password -d client_id=" + LocalStack.CLI_CLIENT
                + " -d username=alice -d password=alice " + s.realmUrl() + "/protocol/openid-connect/token"
                + " | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/'";
        out.println();
        out.println("==================================================================================");
        out.println(" aiaas is running");
        out.printf("  console           %s%n", s.consoleUrl());
        out.println("    sign in (realm aiaas): alice/alice (acme's admin), bob/bob (globex's admin),"
                + " admin/admin (platform admin)");
        out.println("    or register a new account on the sign-in page and create a tenant of your own (plan "
                + DemoSeeder.SIGNUP_PLAN + ")");
        out.printf("  platform-api      %s   (OpenAPI document %s/q/openapi)%n", api, api);
        out.printf("  inference-worker  %s%n", s.workerUrl());
        out.printf("  Keycloak          %s   (admin console %s/admin, %s/%s)%n", s.keycloakUrl(), s.keycloakUrl(),
                LocalStack.KEYCLOAK_ADMIN, LocalStack.KEYCLOAK_ADMIN);
        out.printf("  state %s, logs %s%n", s.stateDir(), s.logDir());
        out.println();
        out.printf(Locale.ROOT, " demo model '%s' version %d: test accuracy %.3f on %d held-out rows%n",
                demo.model(), demo.version(), demo.testAccuracy(), demo.testRows());
        out.printf(" first call (%s): expected %s, answer %s%n", sample, demo.sampleLabel(), demo.sampleResponse());
        out.println();
        out.printf(" API key for tenant %s (shown once):%n   %s%n", demo.tenant(), demo.apiKey());
        out.println();
        out.println(" infer:");
        out.printf("   curl -s -i -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\%n",
                demo.apiKey());
        out.printf("     -d '{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"data\":[%s]}]}' \\%n", sample);
        out.printf("     %s/v2/models/%s/infer%n", api, demo.model());
        out.println(" usage (as alice):");
        out.printf("   TOKEN=$(%s)%n", tokenCmd);
        out.printf("   curl -s -H \"Authorization: Bearer $TOKEN\" '%s/api/v1/tenants/%s/usage?bucket_width=1h'%n",
                api, demo.tenant());
        out.println();
        out.println(" Ctrl-C stops everything.");
        out.println("==================================================================================");
    }
}
