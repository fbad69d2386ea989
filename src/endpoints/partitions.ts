/** aws.partition: which AWS partition a region belongs to, from the bundled partitions.json. */

export interface PartitionOutputs {
  name: string;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
  supportsFIPS: boolean;
  supportsDualStack: boolean;
  implicitGlobalRegion: string;
  [key: string]: unknown;
}

interface PartitionDef {
  id: string;
  regionRegex: string;
  regions: Record<string, Partial<PartitionOutputs>>;
  outputs: PartitionOutputs;
}

export interface PartitionsData {
  partitions: PartitionDef[];
}

export class Partitions {
  private readonly compiled: Array<{ def: PartitionDef; regex: RegExp }>;
  private readonly cache = new Map<string, PartitionOutputs>();

  constructor(data: PartitionsData) {
    this.compiled = data.partitions.map((def) => ({ def, regex: new RegExp(def.regionRegex) }));
  }

  /**
   * A region named in a partition's list wins; then the first regex that matches; then
   * the 'aws' partition, as the rules engine's aws.partition does for unknown regions.
   */
  lookup(region: string): PartitionOutputs {
    let result = this.cache.get(region);
    if (result) return result;
    let found: PartitionDef | undefined;
    for (const { def } of this.compiled) if (Object.prototype.hasOwnProperty.call(def.regions, region)) found = def;
    if (!found) for (const { def, regex } of this.compiled) if (regex.test(region)) { found = def; break; }
    found ??= this.compiled.find((p) => p.def.id === 'aws')?.def ?? this.compiled[0]!.def;
    const overrides = found.regions[region] ?? {};
    result = { ...found.outputs, ...overrides, name: found.id };
    this.cache.set(region, result);
    return result;
  }
}
