package io.aiaas.platform.worker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.aiaas.platform.worker.service.PlacementPlanner;
import io.aiaas.platform.worker.service.PlacementPlanner.Assignment;
import io.aiaas.platform.worker.service.PlacementPlanner.DeviceRequirement;
import io.aiaas.platform.worker.service.PlacementPlanner.Reported;
import io.aiaas.platform.worker.service.PlacementPlanner.Version;
import io.aiaas.platform.worker.service.PlacementPlanner.Worker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The placement algorithm on its own: min, max, device, memory, stability, draining, failed loads. */
class PlacementPlannerTest {

    static final long MB = 1_000_000;
    final PlacementPlanner planner = new PlacementPlanner(0, 2.0);

    static Worker cpu(String name, long budget) {
        return new Worker(id(name), name, "cpu", budget, 0, false);
    }

    static Worker cuda(String name, long hostBudget, long deviceBudget) {
        return new Worker(id(name), name, "cuda", hostBudget, deviceBudget, false);
    }

    static Version version(String model, int version, long size, int min, Integer max, DeviceRequirement device) {
        return new Version(id(model + "/" + version), model, version, size, min, max, device);
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes());
    }

    static List<String> holders(Set<Assignment> plan, Version v, Collection<Worker> workers) {
        List<String> names = new ArrayList<>();
        for (Worker w : workers) {
            if (plan.contains(new Assignment(v.id(), w.id()))) {
                names.add(w.name());
            }
        }
        return names;
    }

    @Test
    void withoutLimitsEveryWorkerHoldsEveryVersion() {
        List<Worker> workers = List.of(cpu("a", 0), cpu("b", 0), cuda("c", 0, 0));
        Version v1 = version("m", 1, 10 * MB, 1, null, DeviceRequirement.ANY);
        Version v2 = version("m", 2, 10 * MB, 1, null, DeviceRequirement.ANY);
        Set<Assignment> plan = planner.plan(workers, List.of(v1, v2), List.of(), List.of());
        assertThat(holders(plan, v1, workers), containsInAnyOrder("a", "b", "c"));
        assertThat(holders(plan, v2, workers), containsInAnyOrder("a", "b", "c"));
    }

    @Test
    void maxOneOnTwoWorkersPlacesOneAndKeepsIt() {
        List<Worker> workers = List.of(cpu("a", 0), cpu("b", 0));
        Version v = version("m", 1, MB, 1, 1, DeviceRequirement.ANY);
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(), List.of());
        assertThat(holders(plan, v, workers).size(), equalTo(1));
        // planning again on its own result changes nothing, whatever the order the rows come in
        assertThat(planner.plan(List.of(workers.get(1), workers.get(0)), List.of(v), plan, List.of()), equalTo(plan));
        // an existing placement on b stays on b, although a would be chosen first for a new one
        Set<Assignment> onB = Set.of(new Assignment(v.id(), id("b")));
        assertThat(planner.plan(workers, List.of(v), onB, List.of()), equalTo(onB));
    }

    @Test
    void deviceRequirementIsObeyed() {
        List<Worker> workers = List.of(cpu("a", 0), cuda("g", 0, 0));
        Version gpu = version("big", 1, MB, 1, null, DeviceRequirement.GPU);
        Version cpuOnly = version("small", 1, MB, 1, null, DeviceRequirement.CPU);
        Set<Assignment> plan = planner.plan(workers, List.of(gpu, cpuOnly), List.of(), List.of());
        assertThat(holders(plan, gpu, workers), equalTo(List.of("g")));
        assertThat(holders(plan, cpuOnly, workers), equalTo(List.of("a")));
        // with only cpu workers a GPU model is placed nowhere
        assertThat(holders(planner.plan(List.of(cpu("a", 0)), List.of(gpu), List.of(), List.of()), gpu, workers),
                empty());
    }

    @Test
    void workerWithoutRoomGetsNone() {
        // the estimate is twice the artifact: 20 MB; the small worker has 15 MB
        List<Worker> workers = List.of(cpu("small", 15 * MB), cpu("large", 100 * MB));
        Version v = version("m", 1, 10 * MB, 1, null, DeviceRequirement.ANY);
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(), List.of());
        assertThat(holders(plan, v, workers), equalTo(List.of("large")));
        // a GPU worker is judged by its device budget
        List<Worker> gpus = List.of(cuda("g", 1000 * MB, 15 * MB));
        assertThat(planner.plan(gpus, List.of(v), List.of(), List.of()), empty());
    }

    @Test
    void reportedMemoryReplacesTheEstimate() {
        Version v = version("m", 1, 10 * MB, 1, null, DeviceRequirement.ANY);
        List<Worker> workers = List.of(cpu("a", 0), cpu("small", 15 * MB));
        // a reports that the version really takes 8 MB: now it fits on the small worker
        List<Reported> reports = List.of(new Reported(v.id(), id("a"), "READY", 8 * MB));
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(new Assignment(v.id(), id("a"))), reports);
        assertThat(holders(plan, v, workers), containsInAnyOrder("a", "small"));
        assertThat(planner.need(v, "cpu", reports, java.util.Map.of(id("a"), workers.get(0))), equalTo(8 * MB));
        assertThat(planner.need(v, "cpu", List.of(), java.util.Map.of()), equalTo(20 * MB));
    }

    @Test
    void everyVersionGetsItsMinimumBeforeAnyGetsMore() {
        // each needs 60 MB; two workers of 100 MB: filling the first model up to its max would starve the second
        List<Worker> workers = List.of(cpu("a", 100 * MB), cpu("b", 100 * MB));
        Version x = version("x", 1, 30 * MB, 1, null, DeviceRequirement.ANY);
        Version y = version("y", 1, 30 * MB, 1, null, DeviceRequirement.ANY);
        Set<Assignment> plan = planner.plan(workers, List.of(x, y), List.of(), List.of());
        assertThat(holders(plan, x, workers).size(), equalTo(1));
        assertThat(holders(plan, y, workers).size(), equalTo(1));
    }

    @Test
    void newVersionsAreServedFirstWhenRoomIsShort() {
        List<Worker> workers = List.of(cpu("a", 25 * MB));
        Version v1 = version("m", 1, 10 * MB, 1, null, DeviceRequirement.ANY);
        Version v2 = version("m", 2, 10 * MB, 1, null, DeviceRequirement.ANY);
        Set<Assignment> plan = planner.plan(workers, List.of(v1, v2), List.of(), List.of());
        assertThat(plan, equalTo(Set.of(new Assignment(v2.id(), id("a")))));
    }

    @Test
    void loweringTheMaxLetsGoOfTheLeastUsefulCopy() {
        List<Worker> workers = List.of(cpu("a", 0), cpu("b", 0), cpu("c", 0));
        Version v = version("m", 1, MB, 1, 1, DeviceRequirement.ANY);
        List<Assignment> current = List.of(new Assignment(v.id(), id("a")), new Assignment(v.id(), id("b")),
                new Assignment(v.id(), id("c")));
        List<Reported> reports = List.of(new Reported(v.id(), id("a"), "LOADING", 0),
                new Reported(v.id(), id("b"), "READY", MB), new Reported(v.id(), id("c"), "FAILED", 0));
        assertThat(holders(planner.plan(workers, List.of(v), current, reports), v, workers), equalTo(List.of("b")));
    }

    @Test
    void drainingWorkerKeepsItsCopyUntilItLeavesAndAnotherIsPlaced() {
        Worker draining = new Worker(id("a"), "a", "cpu", 0, 0, true);
        List<Worker> workers = List.of(draining, cpu("b", 0));
        Version v = version("m", 1, MB, 1, 1, DeviceRequirement.ANY);
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(new Assignment(v.id(), id("a"))),
                List.of(new Reported(v.id(), id("a"), "READY", MB)));
        assertThat(holders(plan, v, workers), containsInAnyOrder("a", "b"));
        // once it is gone (not a live worker any more) only b holds it
        assertThat(holders(planner.plan(List.of(cpu("b", 0)), List.of(v), plan, List.of()), v, workers),
                equalTo(List.of("b")));
    }

    @Test
    void failedLoadIsKeptAndAnotherWorkerTakesTheMinimum() {
        List<Worker> workers = List.of(cpu("a", 0), cpu("b", 0));
        Version v = version("m", 1, MB, 1, 2, DeviceRequirement.ANY);
        // a failed to load it; with max 2 another worker is added so that one healthy copy exists
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(new Assignment(v.id(), id("a"))),
                List.of(new Reported(v.id(), id("a"), "FAILED", 0)));
        assertThat(holders(plan, v, workers), containsInAnyOrder("a", "b"));
        // with max 1 the failed copy is all there may be: nothing beyond the max
        Version one = version("m", 1, MB, 1, 1, DeviceRequirement.ANY);
        assertThat(holders(planner.plan(workers, List.of(one), List.of(new Assignment(one.id(), id("a"))),
                List.of(new Reported(one.id(), id("a"), "FAILED", 0))), one, workers), equalTo(List.of("a")));
    }

    @Test
    void whatWorkersAlreadyHoldIsAdoptedUpToTheMax() {
        List<Worker> workers = List.of(cpu("a", 0), cpu("b", 0));
        Version v = version("m", 1, MB, 1, 1, DeviceRequirement.ANY);
        // b already holds it READY (the control plane restarted): b keeps it rather than a loading it anew
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(),
                List.of(new Reported(v.id(), id("b"), "READY", MB)));
        assertThat(holders(plan, v, workers), equalTo(List.of("b")));
    }

    @Test
    void retiredVersionsAndSilentWorkersLoseTheirAssignments() {
        List<Worker> workers = List.of(cpu("a", 0));
        Version v = version("m", 1, MB, 1, null, DeviceRequirement.ANY);
        Assignment onGone = new Assignment(v.id(), id("gone"));
        Assignment retired = new Assignment(id("m/0"), id("a"));
        Set<Assignment> plan = planner.plan(workers, List.of(v), List.of(onGone, retired), List.of());
        assertThat(plan, equalTo(Set.of(new Assignment(v.id(), id("a")))));
    }

    @Test
    void defaultMaxCapsModelsWithoutOne() {
        PlacementPlanner capped = new PlacementPlanner(2, 2.0);
        List<Worker> workers = List.of(cpu("a", 0), cpu("b", 0), cpu("c", 0));
        Version v = version("m", 1, MB, 1, null, DeviceRequirement.ANY);
        assertThat(capped.plan(workers, List.of(v), List.of(), List.of()).size(), equalTo(2));
    }
}
