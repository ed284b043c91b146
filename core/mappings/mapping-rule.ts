export const MAPPING_KINDS = ['table', 'column', 'datatype', 'transform'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

export interface MappingRule {
  readonly kind: MappingKind;
  /** Source object as the source spells it (matched case-sensitively). */
  readonly source: string;
  readonly destination: string;
  readonly enabled: boolean;
  /**
   * Whether the source names a replicated table or column (a type some column has, for a type-wide
   * DATATYPE rule); null while the connector has replicated nothing yet. Set by `MappingStore`.
   */
  readonly matched?: boolean | null;
  /** Why the rule matches nothing, when `matched` is false. */
  readonly unmatchedReason?: string | null;
}

/** SynchDB's att_view row: one replicated column. */
export interface ReplicatedColumn {
  readonly sourceTable: string;
  readonly destinationTable: string;
  readonly position: number;
  readonly sourceColumn: string;
  readonly destinationColumn: string;
  readonly sourceType: string;
  /** `format_type()` of the target column; SynchDB's dropped-column marker when it is gone. */
  readonly destinationType: string;
  readonly transform: string | null;
}
