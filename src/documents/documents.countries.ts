/**
 * Country codes: ISO 3166-1 alpha-3 with numeric codes (used by the foreign permanent
 * resident ID, whose 2023 number carries the numeric code) and the extra ICAO 9303 codes
 * that can appear in an MRZ (Germany's "D", British nationality classes, UN, refugees, …).
 * The fictitious ICAO specimen state "UTO" (Utopia) is deliberately not a known code.
 */

// alpha-3 + numeric, ISO 3166-1 (current codes plus ANT, still seen on old documents)
const iso = `
AFG004 ALA248 ALB008 DZA012 ASM016 AND020 AGO024 AIA660 ATA010 ATG028 ARG032 ARM051 ABW533
AUS036 AUT040 AZE031 BHS044 BHR048 BGD050 BRB052 BLR112 BEL056 BLZ084 BEN204 BMU060 BTN064
BOL068 BES535 BIH070 BWA072 BVT074 BRA076 IOT086 BRN096 BGR100 BFA854 BDI108 CPV132 KHM116
CMR120 CAN124 CYM136 CAF140 TCD148 CHL152 CHN156 CXR162 CCK166 COL170 COM174 COD180 COG178
COK184 CRI188 CIV384 HRV191 CUB192 CUW531 CYP196 CZE203 DNK208 DJI262 DMA212 DOM214 ECU218
EGY818 SLV222 GNQ226 ERI232 EST233 SWZ748 ETH231 FLK238 FRO234 FJI242 FIN246 FRA250 GUF254
PYF258 ATF260 GAB266 GMB270 GEO268 DEU276 GHA288 GIB292 GRC300 GRL304 GRD308 GLP312 GUM316
GTM320 GGY831 GIN324 GNB624 GUY328 HTI332 HMD334 VAT336 HND340 HKG344 HUN348 ISL352 IND356
IDN360 IRN364 IRQ368 IRL372 IMN833 ISR376 ITA380 JAM388 JPN392 JEY832 JOR400 KAZ398 KEN404
KIR296 PRK408 KOR410 KWT414 KGZ417 LAO418 LVA428 LBN422 LSO426 LBR430 LBY434 LIE438 LTU440
LUX442 MAC446 MDG450 MWI454 MYS458 MDV462 MLI466 MLT470 MHL584 MTQ474 MRT478 MUS480 MYT175
MEX484 FSM583 MDA498 MCO492 MNG496 MNE499 MSR500 MAR504 MOZ508 MMR104 NAM516 NRU520 NPL524
NLD528 NCL540 NZL554 NIC558 NER562 NGA566 NIU570 NFK574 MKD807 MNP580 NOR578 OMN512 PAK586
PLW585 PSE275 PAN591 PNG598 PRY600 PER604 PHL608 PCN612 POL616 PRT620 PRI630 QAT634 REU638
ROU642 RUS643 RWA646 BLM652 SHN654 KNA659 LCA662 MAF663 SPM666 VCT670 WSM882 SMR674 STP678
SAU682 SEN686 SRB688 SYC690 SLE694 SGP702 SXM534 SVK703 SVN705 SLB090 SOM706 ZAF710 SGS239
SSD728 ESP724 LKA144 SDN729 SUR740 SJM744 SWE752 CHE756 SYR760 TWN158 TJK762 TZA834 THA764
TLS626 TGO768 TKL772 TON776 TTO780 TUN788 TUR792 TKM795 TCA796 TUV798 UGA800 UKR804 ARE784
GBR826 USA840 UMI581 URY858 UZB860 VUT548 VEN862 VNM704 VGB092 VIR850 WLF876 ESH732 YEM887
ZMB894 ZWE716 ANT530`;

// ICAO 9303 Part 3 codes that are not ISO 3166-1 alpha-3
const icaoOnly = `D GBD GBN GBO GBP GBS EUE UNO UNA UNK RKS XBA XIM XCC XCE XCO XEC XPO XES XOM XDC
XXA XXB XXC XXX`;

const numericByAlpha3 = new Map<string, string>();
const alpha3ByNumeric = new Map<string, string>();
for (const token of iso.split(/\s+/).filter(Boolean)) {
  const alpha3 = token.slice(0, 3);
  const numeric = token.slice(3);
  numericByAlpha3.set(alpha3, numeric);
  alpha3ByNumeric.set(numeric, alpha3);
}
const icaoCodes = new Set([...numericByAlpha3.keys(), ...icaoOnly.split(/\s+/).filter(Boolean)]);

/** Stateless person / refugee codes, which a residence document may legitimately carry. */
const statusCodes = new Set(['XXA', 'XXB', 'XXC', 'XXX']);

/** True for a code that may appear as issuing state or nationality in an MRZ. */
export function isIcaoCountryCode(code: string): boolean {
  return icaoCodes.has(code);
}

/** True for an ISO 3166-1 alpha-3 country, or a stateless / refugee code. */
export function isNationalityCode(alpha3: string): boolean {
  return numericByAlpha3.has(alpha3) || statusCodes.has(alpha3);
}

/** ISO 3166-1 numeric → alpha-3 (e.g. '398' → 'KAZ'). */
export function alpha3FromNumeric(numeric: string): string | undefined {
  return alpha3ByNumeric.get(numeric);
}

export const isoCountryCount = numericByAlpha3.size;
