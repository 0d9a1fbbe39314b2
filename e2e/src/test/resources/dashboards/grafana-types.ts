// The types DashboardsTest checks compose/grafana/dashboards/*.json against, all from the pinned @grafana/schema
// (.ci/grafana-schema.sh installs it). The test copies this file next to the checks it generates.
import type { Dashboard, FieldConfig, FieldConfigSource, Panel } from '@grafana/schema';
import type * as barGauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type * as stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as stateTimeline from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type * as table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as timeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/**
 * A type as JSON can hold it. Grafana's types use TypeScript string enums (FieldColorModeId, ThresholdsMode, ...),
 * to which no string literal is assignable; Json<T> turns each into the union of its values ("palette-classic" | ...)
 * and keeps everything else: required and optional fields, numeric enums, excess-property checks.
 */
export type Json<T> = T extends string
  ? `${T}`
  : T extends readonly (infer E)[]
    ? Json<E>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** Field config whose `custom` is exactly what the panel plugin declares (Grafana's own type leaves it open). */
type PluginFieldConfig<Custom> = Omit<FieldConfigSource, 'defaults'> & {
  defaults: Omit<FieldConfig, 'custom'> & { custom?: Custom };
};

/** A panel of one plugin, its options and custom field config as that plugin's schema types them. */
type PluginPanel<Type extends string, Options, Custom = never> = Omit<Panel, 'type' | 'options' | 'fieldConfig'> & {
  type: Type;
  options: Options;
  fieldConfig: PluginFieldConfig<Custom>;
};

/** The panel plugins Lookout's dashboards use: a panel of any other type is refused. */
export type LookoutPanel =
  | PluginPanel<'bargauge', barGauge.Options>
  | PluginPanel<'stat', stat.Options>
  | PluginPanel<'state-timeline', stateTimeline.Options, stateTimeline.FieldConfig>
  | PluginPanel<'table', table.Options, table.FieldConfig>
  | PluginPanel<'timeseries', timeSeries.Options, timeSeries.FieldConfig>;

/** Grafana's Dashboard whose panels are also checked against their plugins' schemas. */
export type LookoutDashboard = Omit<Dashboard, 'panels'> & { panels: LookoutPanel[] };
