package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.ApiKey;
import io.aiaas.console.api.tenant.CostReport;
import io.aiaas.console.api.tenant.UsageReport;
import io.aiaas.console.web.BarChart;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FileDownload;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.aiaas.console.web.Parallel;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's usage in one month (UTC, as the report's daily buckets), optionally for one model or one API key: a
 * chart of requests per day, a table per day and model, totals, and the same report as CSV. Three calls: the usage
 * report by day and model, the cost report's totals per currency, and the key list for the filter.
 */
@Path("/t/{slug}")
@Produces(MediaType.TEXT_HTML)
public class UsageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance usage(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param month the month shown (YYYY-MM)
     * @param model the model filter, "" for all
     * @param key the key filter (its id), "" for all
     * @param currency the currency of the costs when there is one, else null
     * @param csv the CSV download's URL with the same filter
     */
    public record Page(String month, String model, String key, List<ApiKey> keys, List<String> models,
            List<Row> rows, List<Row> byModel, UsageReport.Totals totals, String totalCost, String currency,
            BarChart chart, String csv, FormError error) {

        public boolean selected(ApiKey k) {
            return k.id().toString().equals(key);
        }

        public String keyLabel() {
            return keys.stream().filter(k -> k.id().toString().equals(key)).map(k -> k.name() + " (" + k.masked()
                    + ")").findFirst().orElse(key);
        }
    }

    /** One line of the table: a day (null on per-model totals) and a model ("" = calls that named none). */
    public record Row(LocalDate day, String model, long requests, long billable, long errors, long items,
            long computeMs, long costNanos) {

        Row plus(UsageReport.Bucket b) {
            return new Row(day, model, requests + b.requests(), billable + b.billableRequests(), errors + b.errors(),
                    items + b.items(), computeMs + Math.round(b.computeMs()), costNanos + b.costNanos());
        }

        public String modelName() {
            return model == null || model.isEmpty() ? "(no model)" : model;
        }
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Formats fmt;
    private final Parallel parallel;

    UsageResource(CurrentUser user, @RestClient TenantApi api, Formats fmt, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.fmt = fmt;
        this.parallel = parallel;
    }

    @GET
    @Path("usage")
    public Response usage(@RestPath String slug, @RestQuery String month, @RestQuery String model,
            @RestQuery String key) {
        user.requireTenant(slug);
        String modelFilter = model == null ? "" : model.trim();
        String keyFilter = key == null ? "" : key.trim();
        Optional<YearMonth> asked = Days.month(month);
        YearMonth shown = asked.orElseGet(Days::thisMonth);
        FormError error = month != null && !month.isBlank() && asked.isEmpty()
                ? FormError.of("usage-filter", "The month is not a month (YYYY-MM); showing " + shown + ".")
                : FormError.NONE;
        // three independent calls at once: the page waits for the slowest, not their sum
        Parallel.Call<List<ApiKey>> keyList = parallel.start(() -> api.keys(slug));
        Parallel.Call<UsageReport> usageCall = parallel.start(() -> api.usage(slug, Days.start(shown).toString(),
                Days.end(shown).toString(), "1d", "model", blankToNull(modelFilter), blankToNull(keyFilter)));
        Parallel.Call<CostReport> costCall = parallel.start(() -> api.costs(slug, Days.start(shown).toString(),
                Days.end(shown).toString(), "1d", null, blankToNull(modelFilter), blankToNull(keyFilter)));
        UsageReport usage;
        CostReport costs;
        int status = 200;
        try {
            usage = usageCall.get();
            costs = costCall.get();
        } catch (ApiProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            error = FormError.of("usage-filter", problem);
            usage = new UsageReport(null, null, "1d", "model", List.of(),
                    new UsageReport.Totals(0, 0, 0, 0, 0, 0, 0, 0, 0));
            costs = new CostReport(null, null, "1d", null, List.of(), List.of());
            status = 400;
        }
        Page page = page(slug, shown, modelFilter, keyFilter, keyList.get(), usage, costs, error);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.usage(slug, page)).build();
    }

    /** The same report as CSV, from platform-api with this person's token; its type and file name passed on. */
    @GET
    @Path("usage.csv")
    @Produces("text/csv")
    public Response csv(@RestPath String slug, @RestQuery String month, @RestQuery String model,
            @RestQuery String key) {
        user.requireTenant(slug);
        YearMonth shown = Days.month(month).orElseGet(Days::thisMonth);
        Response answer = api.usageCsv(slug, Days.start(shown).toString(), Days.end(shown).toString(), "1d", "model",
                blankToNull(model), blankToNull(key));
        return FileDownload.passThrough(answer, "text/csv; charset=utf-8", "usage-" + slug + "-" + shown + ".csv");
    }

    private Page page(String slug, YearMonth month, String model, String key, List<ApiKey> keys, UsageReport usage,
            CostReport costs, FormError error) {
        Map<LocalDate, Map<String, Row>> byDay = new TreeMap<>();
        Map<String, Row> byModel = new TreeMap<>();
        TreeSet<String> models = new TreeSet<>();
        for (UsageReport.Bucket b : usage.buckets()) {
            LocalDate day = Days.of(b.start());
            String name = b.group() == null ? "" : b.group();
            models.add(name);
            byDay.computeIfAbsent(day, d -> new TreeMap<>())
                    .merge(name, new Row(day, name, 0, 0, 0, 0, 0, 0).plus(b), (a, c) -> a.plus(b));
            byModel.merge(name, new Row(null, name, 0, 0, 0, 0, 0, 0).plus(b), (a, c) -> a.plus(b));
        }
        List<Row> rows = new ArrayList<>();
        byDay.values().forEach(perModel -> rows.addAll(perModel.values()));
        List<Row> modelRows = new ArrayList<>(byModel.values());
        modelRows.sort(Comparator.comparingLong(Row::requests).reversed());

        String currency = costs.totals().size() == 1 ? costs.totals().get(0).currency() : null;
        String totalCost = costs.totals().isEmpty() ? fmt.money("0", null)
                : String.join(" + ", costs.totals().stream().map(t -> fmt.money(t.cost(), t.currency())).toList());

        Map<LocalDate, Long> perDay = new LinkedHashMap<>();
        for (LocalDate day : Days.between(Days.start(month), Days.end(month))) {
            perDay.put(day, 0L);
        }
        byDay.forEach((day, perModel) -> perDay.computeIfPresent(day,
                (d, n) -> n + perModel.values().stream().mapToLong(Row::requests).sum()));
        long max = perDay.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<BarChart.Point> points = new ArrayList<>();
        perDay.forEach((day, n) -> points.add(new BarChart.Point(day.toString(), String.valueOf(day.getDayOfMonth()),
                n, fmt.num(n))));
        UsageReport.Totals totals = usage.totals();
        String scope = (model.isEmpty() ? "" : " of " + model) + (key.isEmpty() ? "" : " with one key");
        BarChart chart = BarChart.of("usage-chart", "Requests per day in " + month, fmt.num(totals.requests())
                + " requests" + scope + " in " + month + ", at most " + fmt.num(max) + " a day", "Day (UTC)",
                "Requests", points, fmt.num(max));
        String csv = "/t/" + slug + "/usage.csv?month=" + month + (model.isEmpty() ? "" : "&model=" + encode(model))
                + (key.isEmpty() ? "" : "&key=" + encode(key));
        return new Page(month.toString(), model, key, keys, List.copyOf(models), rows, modelRows, totals, totalCost,
                currency, chart, csv, error);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
