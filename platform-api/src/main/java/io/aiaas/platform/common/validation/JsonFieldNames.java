package io.aiaas.platform.common.validation;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

/**
 * Names the properties in Bean Validation's paths as the client writes them in JSON: by the application's Jackson
 * mapper (the snake_case strategy, and explicit names such as {@code per_1k_requests}), so that a violation names
 * the field of the request body, never a Java property. Quarkus hands this bean to Hibernate Validator, which asks
 * once per property while it builds its metadata, not per request.
 */
@Singleton
public class JsonFieldNames implements PropertyNodeNameProvider {

    private final ObjectMapper json;
    private final Map<Class<?>, Map<String, String>> names = new ConcurrentHashMap<>();

    JsonFieldNames(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String getName(Property property) {
        if (property instanceof JavaBeanProperty bean) {
            return names.computeIfAbsent(bean.getDeclaringClass(), this::jsonNames)
                    .getOrDefault(property.getName(), property.getName());
        }
        return property.getName();
    }

    /** Java property name to JSON field name, as the mapper reads the class. */
    private Map<String, String> jsonNames(Class<?> type) {
        BeanDescription description = json.getDeserializationConfig().introspect(json.constructType(type));
        Map<String, String> byJavaName = new ConcurrentHashMap<>();
        for (BeanPropertyDefinition property : description.findProperties()) {
            byJavaName.put(property.getInternalName(), property.getName());
        }
        return byJavaName;
    }
}
