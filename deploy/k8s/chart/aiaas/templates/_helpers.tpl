{{/* Names, labels and the values several templates derive. */}}

{{- define "aiaas.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "aiaas.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains (include "aiaas.name" .) .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "aiaas.name" .) | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "aiaas.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "aiaas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: aiaas
{{- end -}}

{{/* The labels that select every pod of this release (the default-deny policy's selector). */}}
{{- define "aiaas.releaseSelector" -}}
app.kubernetes.io/name: {{ include "aiaas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "aiaas.platformApi.fullname" -}}
{{- printf "%s-platform-api" (include "aiaas.fullname" .) -}}
{{- end -}}

{{- define "aiaas.platformApi.selector" -}}
{{ include "aiaas.releaseSelector" . }}
app.kubernetes.io/component: platform-api
{{- end -}}

{{/* Selector of one worker Deployment; call with (dict "root" $ "device" "cuda"|"cpu"). */}}
{{- define "aiaas.worker.selector" -}}
{{ include "aiaas.releaseSelector" .root }}
app.kubernetes.io/component: inference-worker
aiaas.io/device: {{ .device }}
{{- end -}}

{{- define "aiaas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "aiaas.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* "<registry>/<repository>:<tag>"; call with (dict "root" $ "repository" "...") */}}
{{- define "aiaas.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .repository $tag -}}
{{- end -}}

{{/* The database: CloudNativePG's cluster when enabled, else the external server. */}}
{{- define "aiaas.postgresql.clusterName" -}}
{{- default (printf "%s-postgres" (include "aiaas.fullname" .)) .Values.postgresql.cloudnativepg.clusterName -}}
{{- end -}}

{{- define "aiaas.postgresql.jdbcUrl" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
{{- printf "jdbc:postgresql://%s-rw:5432/%s" (include "aiaas.postgresql.clusterName" .) .Values.postgresql.cloudnativepg.database -}}
{{- else -}}
{{- required "postgresql.jdbcUrl is required (or enable postgresql.cloudnativepg)" .Values.postgresql.jdbcUrl -}}
{{- end -}}
{{- end -}}

{{- define "aiaas.postgresql.secretName" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
{{- printf "%s-app" (include "aiaas.postgresql.clusterName" .) -}}
{{- else if .Values.postgresql.existingSecret -}}
{{- .Values.postgresql.existingSecret -}}
{{- else -}}
{{- printf "%s-postgres" (include "aiaas.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "aiaas.signingKey.secretName" -}}
{{- default (printf "%s-signing-key" (include "aiaas.fullname" .)) .Values.internalAuth.signingKey.existingSecret -}}
{{- end -}}

{{- define "aiaas.enrolmentToken.secretName" -}}
{{- default (printf "%s-enrolment-token" (include "aiaas.fullname" .)) .Values.internalAuth.enrolmentToken.existingSecret -}}
{{- end -}}

{{- define "aiaas.artifacts.claimName" -}}
{{- default (printf "%s-artifacts" (include "aiaas.fullname" .)) .Values.platformApi.artifacts.existingClaim -}}
{{- end -}}

{{/* Annotations for a Prometheus kubernetes-pods scrape job; call with (dict "root" $ "port" 8080). */}}
{{- define "aiaas.scrapeAnnotations" -}}
{{- if .root.Values.metrics.scrapeAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /q/metrics
{{- end }}
{{- end -}}
