package io.aiaas.platform.common.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

/** An instant the platform stores and shows: from year 1 to the end of year 9999 (UTC); null is valid. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StorableTimestamp.Validator.class)
public @interface StorableTimestamp {

    String message() default "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The earliest storable instant. */
    Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest storable instant. */
    Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Checks the range. */
    final class Validator implements ConstraintValidator<StorableTimestamp, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || (!value.isBefore(MIN) && !value.isAfter(MAX));
        }
    }
}
