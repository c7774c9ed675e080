package io.aiaas.platform.testsupport;

import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of billed calls share: a new tenant with its admin, and a public model of another tenant that a
 * {@link FakeWorker} serves (call it with {@link Calls#infer}). A subclass's own {@code @BeforeEach} runs after this
 * one's, so it can put the tenant on a plan.
 */
public abstract class ServedModelTest {

    @Inject
    protected Fixtures fixtures;
    @Inject
    protected TestDb db;

    protected TenantUser admin;
    protected Model model;
    protected FakeWorker worker;

    @BeforeEach
    protected void startTenantAndWorker() throws Exception {
        admin = Api.tenantWithAdmin();
        model = fixtures.model("PUBLIC", fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port).hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    protected void stopWorker() {
        worker.close();
    }
}
