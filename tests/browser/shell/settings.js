// Grafana's data source objects built from what /api/datasources returns.

/** DataSourceInstanceSettings (what a DataSourceApi is constructed with) from a saved DTO. */
export function toInstanceSettings(dto, meta) {
  return {
    id: dto.id,
    uid: dto.uid,
    type: dto.type,
    name: dto.name,
    meta,
    url: dto.url,
    jsonData: dto.jsonData ?? {},
    access: dto.access ?? 'proxy',
    readOnly: Boolean(dto.readOnly),
    isDefault: Boolean(dto.isDefault),
    rawRef: { uid: dto.uid, type: dto.type },
  };
}

/** DataSourceSettings for the ConfigEditor: the DTO plus the secrets typed since the last save. */
export function toEditorOptions(dto) {
  return { ...dto, jsonData: dto.jsonData ?? {}, secureJsonFields: dto.secureJsonFields ?? {}, secureJsonData: {} };
}
