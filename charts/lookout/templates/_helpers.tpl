{{/* Names: <release>-lookout unless the release name already says lookout; 63 characters at most (DNS labels). */}}
{{- define "lookout.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lookout.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "lookout.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lookout.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "lookout.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lookout.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* blackbox's pods (operator layout): a name of their own, so that Lookout's selectors never take them in. */}}
{{- define "lookout.blackboxSelectorLabels" -}}
app.kubernetes.io/name: {{ include "lookout.name" . }}-blackbox
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lookout.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "lookout.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lookout
{{- end -}}

{{/* registry/repository:tag[@digest] from an image block; $tag defaults to the chart's appVersion. */}}
{{- define "lookout.image" -}}
{{- $image := index . 0 -}}
{{- $tag := default (index . 1) $image.tag -}}
{{- $ref := printf "%s:%s" $image.repository $tag -}}
{{- if $image.registry -}}{{- $ref = printf "%s/%s" $image.registry $ref -}}{{- end -}}
{{- if $image.digest -}}{{- $ref = printf "%s@%s" $ref $image.digest -}}{{- end -}}
{{- $ref -}}
{{- end -}}

{{/* The layout's refusals, rendered first by every template that depends on the layout. */}}
{{- define "lookout.checkLayout" -}}
{{- if and (eq .Values.layout "sidecar") (gt (int .Values.replicas) 1) -}}
{{- fail "replicas above 1 needs layout standalone: in the sidecar layout each replica has a Prometheus and an emptyDir of its own, and a standby Lookout writes no blackbox config, so its pod would never be Ready and a rollout would never end" -}}
{{- end -}}
{{- if eq .Values.layout "standalone" -}}
{{- if not .Values.config.prometheus.url -}}
{{- fail "layout: standalone needs config.prometheus.url: the Prometheus Lookout reloads (POST /-/reload; it needs --web.enable-lifecycle)" -}}
{{- end -}}
{{- if not .Values.config.blackbox.url -}}
{{- fail "layout: standalone needs config.blackbox.url: the blackbox_exporter Lookout reloads" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Where Lookout writes (--out), in its own container and in the sidecar layout's Prometheus and blackbox alike. */}}
{{- define "lookout.outDir" -}}/var/lib/lookout/out{{- end -}}

{{/* lookout.yaml: the layout's settings with config merged over them; empty sections left out. */}}
{{- define "lookout.config" -}}
{{- $out := include "lookout.outDir" . -}}
{{- $layout := dict -}}
{{- if eq .Values.layout "sidecar" -}}
{{- $prometheus := dict "url" (printf "http://127.0.0.1:%v" .Values.prometheus.port) "outputDir" (printf "%s/prometheus" $out) "mode" "include" -}}
{{- if .Values.prometheus.externalUrl -}}{{- $_ := set $prometheus "externalUrl" .Values.prometheus.externalUrl -}}{{- end -}}
{{- $blackbox := dict "url" (printf "http://127.0.0.1:%v" .Values.blackbox.port) "address" (printf "127.0.0.1:%v" .Values.blackbox.port) "configFile" (printf "%s/blackbox/blackbox.yml" $out) -}}
{{- $layout = dict "prometheus" $prometheus "blackbox" $blackbox "lookout" (dict "metricsAddress" (printf "127.0.0.1:%v" .Values.lookout.port)) -}}
{{- else if eq .Values.layout "operator" -}}
{{- $prometheus := dict "outputDir" (printf "%s/prometheus" $out) "mode" "operator" "operator" (dict "namespace" .Release.Namespace "labels" .Values.operator.labels "blackboxConfigMap" (printf "%s-blackbox" (include "lookout.fullname" .)) "blackboxSecret" (printf "%s-blackbox-secrets" (include "lookout.fullname" .))) -}}
{{- $blackbox := dict "address" (printf "%s-blackbox.%s.svc:%v" (include "lookout.fullname" .) .Release.Namespace .Values.blackbox.port) "configFile" "/etc/blackbox/config/blackbox.yml" "secretsDir" "/etc/blackbox/secrets" -}}
{{- $metrics := printf "%s.%s.svc:%v" (include "lookout.fullname" .) .Release.Namespace .Values.lookout.port -}}
{{- $layout = dict "prometheus" $prometheus "blackbox" $blackbox "lookout" (dict "metricsAddress" $metrics) -}}
{{- else -}}
{{- $prometheus := dict "outputDir" (printf "%s/prometheus" $out) "mode" "include" -}}
{{- $blackbox := dict "configFile" (printf "%s/blackbox/blackbox.yml" $out) -}}
{{- $metrics := printf "%s.%s.svc:%v" (include "lookout.fullname" .) .Release.Namespace .Values.lookout.port -}}
{{- $layout = dict "prometheus" $prometheus "blackbox" $blackbox "lookout" (dict "metricsAddress" $metrics) -}}
{{- end -}}
{{- $merged := mergeOverwrite $layout (deepCopy .Values.config) -}}
{{- $config := dict -}}
{{- range $key, $value := $merged -}}
{{- if $value -}}{{- $_ := set $config $key $value -}}{{- end -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* The watched namespaces, comma-separated, for --watch-namespaces. */}}
{{- define "lookout.watchNamespaces" -}}
{{- join "," .Values.watchNamespaces -}}
{{- end -}}

{{/*
The API calls Lookout makes, as RBAC rules: RbacRulesTest records the calls of the operator and of its Kubernetes
platform on fabric8's mock API server and fails when these rules grant more or less. Namespaced objects here; Nodes
(cluster-scoped) in lookout.clusterRules.
*/}}
{{- define "lookout.namespacedRules" -}}
# The four kinds: listed at start, watched (one informer each) and read one at a time; status written through the
# subresource.
- apiGroups: [lookout.dev]
  resources: [comfyprobes, gpunodes, networkpolicies, nginxvtstargets]
  verbs: [get, list, watch]
- apiGroups: [lookout.dev]
  resources: [comfyprobes/status, gpunodes/status, networkpolicies/status, nginxvtstargets/status]
  verbs: [patch]
# The kinds that own containers keep a finalizer until their cleanup ran: java-operator-sdk adds it with a server-side
# apply and removes it with a JSON patch, both PATCH.
- apiGroups: [lookout.dev]
  resources: [gpunodes, nginxvtstargets]
  verbs: [patch]
# Secrets a resource references (watched), and the Secret of a workload's private files (written).
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, delete, deletecollection, get, list, update, watch]
# What a GpuNode's or NginxVtsTarget's workload becomes (docs/kubernetes-platform.md): read, created or replaced,
# leftovers deleted one by one, and all of an owner's deleted by label when the owner goes.
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [create, delete, deletecollection, get, list, update]
# watch: a rollout that finished, or a workload someone deleted, requeues its owner at once.
- apiGroups: [apps]
  resources: [daemonsets, deployments]
  verbs: [create, delete, deletecollection, get, list, update, watch]
# ComfyProbe's discover.kubernetes: pods are its instances; a restart deletes a pod its controller recreates.
- apiGroups: [""]
  resources: [pods]
  verbs: [delete, get, list]
{{- end -}}

{{/* prometheus.mode: operator (layout operator): the objects it publishes, and the blackbox ConfigMap it reads first. */}}
{{- define "lookout.operatorRules" -}}
{{- if eq .Values.layout "operator" }}
# Probes, ScrapeConfigs and PrometheusRules: its own listed once at start (leftovers of a previous run), then read,
# created or replaced when their content changes, deleted when no resource renders them. The Secrets of a scrape's
# basic auth and blackbox's ConfigMap and Secret are covered by the rules above.
- apiGroups: [monitoring.coreos.com]
  resources: [probes, prometheusrules, scrapeconfigs]
  verbs: [create, delete, get, list, update]
{{- end }}
{{- end -}}

{{- define "lookout.clusterRules" -}}
# A GPU workload is written only when some node can run it (its label, and nvidia.com/gpu capacity).
- apiGroups: [""]
  resources: [nodes]
  verbs: [list]
{{- end -}}

{{/* Lookout's container, the same in both layouts. */}}
{{- define "lookout.container" -}}
- name: lookout
  image: {{ include "lookout.image" (list .Values.image .Chart.AppVersion) }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args:
    - run
    - --kubernetes
    - --config=/etc/lookout/lookout.yaml
    - --out={{ include "lookout.outDir" . }}
    - --state=/var/lib/lookout/state
    - --listen=0.0.0.0:{{ .Values.lookout.port }}
    {{- if .Values.watchNamespaces }}
    - --watch-namespaces={{ include "lookout.watchNamespaces" . }}
    {{- end }}
    {{- if gt (int .Values.replicas) 1 }}
    - --leader-elect
    {{- end }}
    {{- with .Values.lookout.extraArgs }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.lookout.env }}
  env:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    - name: http
      containerPort: {{ .Values.lookout.port }}
      protocol: TCP
  livenessProbe:
    httpGet:
      path: /healthz
      port: http
    {{- toYaml .Values.lookout.livenessProbe | nindent 4 }}
  readinessProbe:
    httpGet:
      path: /readyz
      port: http
    {{- toYaml .Values.lookout.readinessProbe | nindent 4 }}
  resources:
    {{- toYaml .Values.lookout.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: config
      mountPath: /etc/lookout/lookout.yaml
      subPath: lookout.yaml
      readOnly: true
    - name: output
      mountPath: {{ include "lookout.outDir" . }}
      {{- if and (eq .Values.layout "standalone") .Values.standalone.output.subPath }}
      subPath: {{ .Values.standalone.output.subPath }}
      {{- end }}
    - name: state
      mountPath: /var/lib/lookout/state
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{/* What every pod of the chart shares: service account, security context, scheduling. */}}
{{- define "lookout.podSpecCommon" -}}
serviceAccountName: {{ include "lookout.serviceAccountName" . }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
