{{/* The environment every node gets; NODE_ID is the pod's name, unique and stable for its lifetime. */}}
{{- define "herald.env" -}}
- name: NODE_ID
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
- name: DB_URL
  value: {{ .Values.database.url | quote }}
- name: DB_USER
  value: {{ .Values.database.user | quote }}
- name: DB_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ .Values.database.existingSecret }}, key: DB_PASSWORD}}
- name: ADMIN_TOKEN
  valueFrom: {secretKeyRef: {name: {{ .Values.database.existingSecret }}, key: ADMIN_TOKEN}}
- name: UNSUBSCRIBE_KEY
  valueFrom: {secretKeyRef: {name: {{ .Values.database.existingSecret }}, key: UNSUBSCRIBE_KEY}}
- name: UNSUBSCRIBE_BASE_URL
  value: {{ .Values.unsubscribeBaseUrl | quote }}
- name: ZK_CONNECT
  value: {{ .Values.zookeeper.connect | quote }}
- name: ADMIN_HOSTS
  value: {{ .Values.adminHosts | quote }}
- name: WEBHOOK_ALLOW_NETWORKS
  value: {{ .Values.webhookAllowNetworks | quote }}
{{- end -}}
