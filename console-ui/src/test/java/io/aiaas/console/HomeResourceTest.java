package io.aiaas.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HomeResourceTest {

    @Test
    void homePageSaysComingSoonAndLinksToTheApiDocs() {
        given().when().get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("aiaas console — coming soon"))
                .body(containsString("href=\"http://127.0.0.1:8080/q/openapi\""));
    }
}
