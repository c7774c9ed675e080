package io.aiaas.platform.common.web;

import io.aiaas.platform.common.error.ApiException;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a query parameter the endpoint does not take, as unknown JSON fields are refused: 400
 * {@code unknown_parameter} naming it and the ones the endpoint takes. A misspelt parameter ({@code from} for
 * {@code start}, {@code group-by}) would otherwise be ignored in silence and answer something else than was asked.
 * The names come from the resource method's {@code @RestQuery}/{@code @QueryParam} parameters and the fields of its
 * {@code @BeanParam}s, read once per method. A request without a query string costs one null check.
 */
public class KnownQueryParameters {

    private final Map<Method, Set<String>> known = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ResourceInfo resource, RoutingContext rc) {
        if (rc.request().query() == null || resource.getResourceMethod() == null) {
            return;
        }
        Set<String> names = known.computeIfAbsent(resource.getResourceMethod(), KnownQueryParameters::names);
        for (String name : rc.queryParams().names()) {
            if (!names.contains(name)) {
                throw ApiException.badRequest("unknown_parameter", "Query parameter '" + name + "' is not known here"
                        + (names.isEmpty() ? "; this endpoint takes none" : "; the parameters are " + names));
            }
        }
    }

    private static Set<String> names(Method method) {
        java.util.SortedSet<String> names = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            add(names, parameter, parameter.getName());
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Class<?> type = parameter.getType(); type != null && type != Object.class;
                        type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        add(names, field, field.getName());
                    }
                }
            }
        }
        return java.util.Collections.unmodifiableSortedSet(names);
    }

    private static void add(Set<String> names, AnnotatedElement element, String javaName) {
        RestQuery rest = element.getAnnotation(RestQuery.class);
        if (rest != null) {
            names.add(rest.value().isEmpty() ? javaName : rest.value());
        }
        QueryParam query = element.getAnnotation(QueryParam.class);
        if (query != null) {
            names.add(query.value());
        }
    }
}
