/**
 * The character entities of HTML 4.0 that Velocity Tools' `$esc.html` writes: EscapeTool.html delegates to
 * commons-lang3 StringEscapeUtils.escapeHtml4, which looks each character up in EntityArrays.BASIC_ESCAPE (below in
 * tools.ts), ISO8859_1_ESCAPE and HTML40_EXTENDED_ESCAPE, and leaves every other character as it is. The two
 * tables (the W3C HTML 4.01 entity sets: Latin-1; symbols, Greek and special characters) are transcribed here as
 * `<hex code point>:<name>` from apache/commons-lang `src/main/java/org/apache/commons/lang3/text/translate/
 * EntityArrays.java` at d15939ef (Apache-2.0); velocity-tools 03bd638e depends on commons-lang3 3.18.0.
 */

const ISO8859_1 = [
  "A0:nbsp A1:iexcl A2:cent A3:pound A4:curren A5:yen A6:brvbar A7:sect A8:uml A9:copy",
  "AA:ordf AB:laquo AC:not AD:shy AE:reg AF:macr B0:deg B1:plusmn B2:sup2 B3:sup3",
  "B4:acute B5:micro B6:para B7:middot B8:cedil B9:sup1 BA:ordm BB:raquo BC:frac14 BD:frac12",
  "BE:frac34 BF:iquest C0:Agrave C1:Aacute C2:Acirc C3:Atilde C4:Auml C5:Aring C6:AElig C7:Ccedil",
  "C8:Egrave C9:Eacute CA:Ecirc CB:Euml CC:Igrave CD:Iacute CE:Icirc CF:Iuml D0:ETH D1:Ntilde",
  "D2:Ograve D3:Oacute D4:Ocirc D5:Otilde D6:Ouml D7:times D8:Oslash D9:Ugrave DA:Uacute DB:Ucirc",
  "DC:Uuml DD:Yacute DE:THORN DF:szlig E0:agrave E1:aacute E2:acirc E3:atilde E4:auml E5:aring",
  "E6:aelig E7:ccedil E8:egrave E9:eacute EA:ecirc EB:euml EC:igrave ED:iacute EE:icirc EF:iuml",
  "F0:eth F1:ntilde F2:ograve F3:oacute F4:ocirc F5:otilde F6:ouml F7:divide F8:oslash F9:ugrave",
  "FA:uacute FB:ucirc FC:uuml FD:yacute FE:thorn FF:yuml",
];

const HTML40_EXTENDED = [
  "192:fnof 391:Alpha 392:Beta 393:Gamma 394:Delta 395:Epsilon 396:Zeta 397:Eta 398:Theta 399:Iota",
  "39A:Kappa 39B:Lambda 39C:Mu 39D:Nu 39E:Xi 39F:Omicron 3A0:Pi 3A1:Rho 3A3:Sigma 3A4:Tau",
  "3A5:Upsilon 3A6:Phi 3A7:Chi 3A8:Psi 3A9:Omega 3B1:alpha 3B2:beta 3B3:gamma 3B4:delta 3B5:epsilon",
  "3B6:zeta 3B7:eta 3B8:theta 3B9:iota 3BA:kappa 3BB:lambda 3BC:mu 3BD:nu 3BE:xi 3BF:omicron",
  "3C0:pi 3C1:rho 3C2:sigmaf 3C3:sigma 3C4:tau 3C5:upsilon 3C6:phi 3C7:chi 3C8:psi 3C9:omega",
  "3D1:thetasym 3D2:upsih 3D6:piv 2022:bull 2026:hellip 2032:prime 2033:Prime 203E:oline 2044:frasl 2118:weierp",
  "2111:image 211C:real 2122:trade 2135:alefsym 2190:larr 2191:uarr 2192:rarr 2193:darr 2194:harr 21B5:crarr",
  "21D0:lArr 21D1:uArr 21D2:rArr 21D3:dArr 21D4:hArr 2200:forall 2202:part 2203:exist 2205:empty 2207:nabla",
  "2208:isin 2209:notin 220B:ni 220F:prod 2211:sum 2212:minus 2217:lowast 221A:radic 221D:prop 221E:infin",
  "2220:ang 2227:and 2228:or 2229:cap 222A:cup 222B:int 2234:there4 223C:sim 2245:cong 2248:asymp",
  "2260:ne 2261:equiv 2264:le 2265:ge 2282:sub 2283:sup 2284:nsub 2286:sube 2287:supe 2295:oplus",
  "2297:otimes 22A5:perp 22C5:sdot 2308:lceil 2309:rceil 230A:lfloor 230B:rfloor 2329:lang 232A:rang 25CA:loz",
  "2660:spades 2663:clubs 2665:hearts 2666:diams 152:OElig 153:oelig 160:Scaron 161:scaron 178:Yuml 2C6:circ",
  "2DC:tilde 2002:ensp 2003:emsp 2009:thinsp 200C:zwnj 200D:zwj 200E:lrm 200F:rlm 2013:ndash 2014:mdash",
  "2018:lsquo 2019:rsquo 201A:sbquo 201C:ldquo 201D:rdquo 201E:bdquo 2020:dagger 2021:Dagger 2030:permil 2039:lsaquo",
  "203A:rsaquo 20AC:euro",
];

const parse = (rows: string[]) =>
  rows.flatMap((row) => row.split(" ")).map((pair) => {
    const [hex, name] = pair.split(":");
    return [parseInt(hex, 16), `&${name};`] as const;
  });

/** Code point → entity (`&eacute;`), for the 96 Latin-1 and 152 extended entities. */
export const HTML4_ENTITIES: ReadonlyMap<number, string> = new Map([...parse(ISO8859_1), ...parse(HTML40_EXTENDED)]);
