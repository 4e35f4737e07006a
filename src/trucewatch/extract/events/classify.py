"""Label a snippet with the ACLED sub-event type it reports, or with none.

Two halves that fail differently decide together. The cue lexicon
(``resources/events/subtypes.yaml``) is exact and shows its evidence, but knows only
the words it lists: each class adds up the weights of its cues, the first sentence
counting fully and the rest at a discount, and a few codebook rules that need two cues
at once are applied here. The sentence-embedding model (``trucewatch.extract.events.model``)
knows paraphrases and other languages but no codebook. A class's combined score is the
model's log-probability plus ``Fusion.lexicon_weight`` times its (capped) cue score, so
a cue moves the verdict and, where there is no cue at all, the model decides alone:
an event can be found with no lexicon cue.

The five non-ACLED lexicon classes (disasters, crime, diplomacy, claims of
responsibility) count for NONE. Without embeddings the lexicon decides, re-ranked by
the word-frequency model of ``trucewatch.extract.events.rerank`` as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable
import re
from dataclasses import dataclass, field
from functools import lru_cache

from trucewatch.extract.events.lexicon import Cue, EventClass, Lexicon, compile_cue, lexicon
from trucewatch.text.literal_gate import GateIndex, IdentityCache, fold
from trucewatch.text.script import span_back, without_vowel_marks

_FIRST_SENTENCE = re.compile(r"[.!?](?=\s+[\"“'(]?[A-Z0-9])|\n")


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str
    weight: float


@dataclass(frozen=True)
class Classification:
    """The verdict on one snippet.

    ``code`` is the winning class (an ACLED code such as ``ARMED_CLASH``, or a non-ACLED
    one such as ``NATURAL_DISASTER``, or None when nothing scored); ``sub_event_type``
    and ``event_type`` are ACLED's names and are None unless an ACLED class won.
    ``score`` in [0, 1] grows with the winner's weight and its lead over the runner-up.
    """

    code: str | None
    event_type: str | None
    sub_event_type: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @property
    def is_acled(self) -> bool:
        return self.sub_event_type is not None


# --- codebook rules that need two cues at once --------------------------------------
# Protests: the intervention decides the sub-type. Force that kills, wounds or is
# called violent makes "excessive force"; dispersal, arrests, tear gas or water cannon
# without it make "protest with intervention".
_FORCE_EN = (
    r"violent(?:ly)? (?:dispers\w*|suppress\w*|broke up|crack\w*)|excessive (?:use of )?force|crackdown|cracking down"
    r"|live (?:ammunition|fire|rounds|bullets)|open(?:s|ed)? fire (?:on|at) (?:[\w\x22\u201c\u201d'-]+ ){0,3}(?:protesters|demonstrators|crowds?|marchers)"
    r"|(?:fired|shot) (?:on|at|into) (?:\w+ ){0,2}(?:protesters|demonstrators|crowds?|marchers)|(?:gendarme|police|soldier|officer)['’]?s? (?:bullet|fire|gunfire)"
    r"|shot and killed|seriously injured|lost an eye|(?:eye|head) injur\w+|at close range|police (?:\w+ ){0,2}killed|killed (?:\w+ ){0,3}during (?:a |the )?(?:march|demonstration|protest|rally)"
    r"|(?:protesters|demonstrators|people|persons) (?:\w+ ){0,3}(?:killed|shot|wounded|injured|beaten)|(?:killed|killing|shot|wounded|injuring) (?:\w+ ){0,3}(?:protesters|demonstrators)|shot dead"
    r"|(?:protesters|demonstrators|people) (?:\w+ ){0,3}(?:injur(?:ed|ies)|wounded)|serious injuries|batons?|beat(?:en|ing)?"
    r"|fired (?:\w+ ){0,4}tear gas at|brutal(?:ly)?|died (?:after|from) (?:being )?(?:hit|shot|beaten)|live rounds|opened fire|leaving (?:at least )?\w+ (?:people )?dead|(?:killed|wounded|injured|shot) by (?:a |the )?police|police (?:bullets?|gunfire)"
)
# Violence by the protesters themselves makes a riot, whatever the police did (codebook).
_RIOT_EN = (
    r"clash(?:ed|es)?|scuffles?|turned violent|violent (?:protests?|demonstrations?|clashes)|(?:street|escalating) violence|throw(?:ing|s)?|threw|hurl(?:ed|ing)|pelt(?:ed|ing)|stone-throwing|stones"
    r"|rocks|fireworks|molotov(?: cocktails)?|petrol bombs|set fire|(?:light|lit) fires|smash(?:ed|ing)|torch(?:ed|ing)"
    r"|burn(?:ed|ing|t) (?!down)|loot(?:ed|ing)|vandali[sz](?:ed|ing|m)|stormed|pull(?:ed)? down|tore down|removed the fences"
    r"|confront(?:ed|ing)|aggressive|(?<!anti-)riot(?:s|ed|ers|ing)?(?! (?:police|gear|squad|unit|officers|control))|rioting|attacked (?:the )?(?:police|officers|security)"
    r"|barricades?|running battles"
)
_INTERVENTION_EN = (
    r"(?:police|officers|security forces|troops|soldiers|authorities|gendarmes)(?: \w+){0,4} dispers(?:e|ed|ing)"
    r"|dispersed by|to disperse|dispersal of|tear ?gas|water cannons?|pepper[- ]?spray(?:ed)?|pepper canisters|rubber bullets"
    r"|smoke grenades|nonlethal rounds|suppress(?:ed|ing)?|halted|block(?:ed)? them|clash with officers|stun grenades"
    r"|broke up|blocked (?:\w+ ){0,3}from (?:marching|gathering)|briefly (?:held|holding|detained)|police vans|dispersed with"
    r"|(?:arrested|detained|rounded up) (?:\w+ ){0,5}who (?:were |was |had )?(?:demonstrating|protesting|marching|gathered)"
    r"|(?:detained|arrested) (?:\w+ ){0,4}at (?:a |the )?(?:rally|protest|demonstration|march|sit-in)"
    r"|stopped (?:\w+ ){0,3}(?:marchers|protesters|demonstrators) from"
    r"|cleared (?:\w+ ){0,4}(?:blocking|blockading|occupying)|pushed back|rounded up|cordoned off|(?:leaving|left) (?:several|many|\w+) (?:detained|arrested)|arrests were made"
    r"|(?:detain(?:ed|s|ing)?|arrest(?:ed|s|ing)?) (?:\w+ ){0,3}(?:protesters|demonstrators|marchers)"
    r"|(?:protesters|demonstrators|people|marchers) (?:\w+ ){0,3}(?:detained|arrested)|detain(?:ed)? (?:\w+ ){0,4}during"
)
_PROTEST_CONTEXT_EN = (
    r"protest(?:s|ers|ors|ing)?|demonstrat(?:ion|ions|ors)|rall(?:y|ies)|sit-ins?|(?-i:march(?:es|ers|ing)?)|marchers|crowds?|may day|unrest|dispersed (?:\w+ ){0,4}gathering"
    r"|blockade|blocking (?:the )?(?:\w+ )?(?:roads?|highway|streets?|bridge)|demonstrating|(?:who )?gathered (?:in front of|outside|at)"
    r"|(?:students|workers|teachers|nurses|doctors|traders|farmers|residents|women|youths) (?:\w+ ){0,3}(?:demanding|protesting|calling for|chanting|marching)"
)
_AR = "(?:[وفبل]|ال|وال|بال|لل|فال)?"  # an Arabic word's proclitics, as in the lexicon


def _ar(pattern: str) -> str:
    """``AR(`` in ``pattern`` is a group an Arabic proclitic may precede."""
    return pattern.replace("AR(", _AR + "(")


# The same four cue sets in French, Spanish, Italian, Russian, Turkish and Arabic, written
# from the codebook (the English ones above are the model). They count only as the rule
# does: within a protest ("desalojaron a la milicia", "soldati dispersi" are no dispersal).
_PROTEST_CONTEXT_ML = (
    r"manifest(?:ants?|antes?|aient|ait)|manifestations?(?! (?:culturelles?|sportives?|artistiques?|festives?|scientifiques?|commerciales?|d['’]intérêt))|manifestants|(?:ont|a|avaient) manifesté(?! (?:(?:sa|son|ses|leur|leurs|un|une|le|la|les|des|du|par)\b|de l['’]|d['’]|l['’]|publiquement))|manifester(?! (?:(?:sa|son|ses|leur|leurs|un|une|le|la|les|des|du|par)\b|de l['’]|d['’]|l['’]|publiquement))|(?<!se )manifestent(?! (?:(?:sa|son|ses|leur|leurs|un|une|le|la|les|des|du|par)\b|de l['’]|d['’]|l['’]|publiquement))|(?-i:rassembl(?:ement|ements|és|ées))|cortèges?|protestataires?"
    r"|marches? (?:pacifiques?|contre|de protestation)"
    r"|manifestantes?|manifestaci(?:ón|ones)|protesta(?:s|ban|ntes|ron)?|marchas? (?:pacíficas?|contra|de protesta)|concentraci(?:ón|ones)(?! (?:de (?:\w+ ){0,2}(?:co2|gases?|humo|monóxido|partículas|poder|población|riqueza|alcohol|ozono|la selección)|parcelaria|de tropas))|plantón"
    r"|manifestant[ie]|manifestav(?:a|ano)|manifestazion[ei](?! (?:di interesse|sportiv[ae]|cultural[ei]|fieristic[ae]|enogastronomic[ae]|musical[ei]|artistic[ae]|ciclistic[ae]|natalizi[ae]))|protest(?:e|ava|avano)|corteo(?! (?:funebre|nuziale|storico|presidenziale|di auto|di macchine|di trattori storici|dei magi))|corte[i]|presidio (?:di protesta|davanti|sotto|in piazza|permanente|dei lavoratori|organizzato|contro|di solidarietà|pacifico|(?:dei|delle|degli) (?:lavoratori|studenti|attivisti|sindacati|residenti|comitati))|(?:un|in|al) presidio (?:davanti|sotto|contro|di protesta|fuori)|raduno|sit-in|marcia (?:pacifica|contro|di protesta)"
    r"|протест(?!ир)(?:ы|ов|ах|ами|ующ\w*|овал\w*|ует|уют|ные|ных|н\w* (?:акци|митинг|шестви|выступлени|движени)\w*)|митинг\w*|демонстрант\w*|демонстраци\w*(?! (?:\w+ )?(?:сил|мощ|возможност|решимост|флаг)\w*)|шестви\w*|манифестант\w*|участник\w* (?:акции|марша|митинга|шествия)|марш\w* (?:против|протеста)"
    r"|manifestaç(?:ão|ões)|protestos?|protestaram|protestavam"
    r"|protesto\w*|gösteri(?:ci\w*|ler\w*|(?:y?e|de|den|si|sine|sinde|yi)\b)(?<!güç gösterisi)(?<!güç gösterisine)|eylemci\w*|(?:oturma|protesto|basın|kepenk|iş bırakma|açlık|sessiz|yürüyüş|oturma) eylem\w*|(?<!bombalı )(?<!silahlı )(?<!terör )(?<!intihar )(?<!saldırı )eylem (?:yap|düzenle)\w*|yürüyüş\w*|kalabalı\w*"
    r"|AR(?:متظاهر\w*|محتج(?:ون|ين|ان|ة|ات)?|مظاهر(?:ة|ات)\w*|تظاهر\w*|احتجاج\w*|اعتصام\w*|معتصم(?:ون|ين|ات)|مسيرة (?:سلمية|احتجاجية|مطلبية))"
)
_FORCE_ML = (
    r"(?:manifestants?|protestataires?|jeunes) (?:\w+ ){0,3}(?:tués?|abattus?)|(?:tu(?:é|és|ant|er)|bless(?:é|és|ant)|abattu) (?:\w+ ){0,3}(?:manifestants?|protestataires?)"
    r"|(?:tiré|ouvert le feu|tirs?) sur (?:\w+ ){0,3}(?:manifestants|cortège|foule|marche|rassemblement)|balles réelles|matraqu\w*|roués? de coups|grièvement blessés?"
    r"|manifestantes (?:\w+ ){0,3}(?:murieron|muertos|asesinados|heridos|baleados)|(?:mat(?:ó|aron|ando)|hiri(?:ó|eron)) (?:\w+ ){0,3}manifestantes"
    r"|(?:abri(?:ó|eron) fuego|dispar(?:ó|aron)) contra(?! (?:el|la|los|las) (?:gobierno|oposición|presidente|presidenta|ministr[oa]s?|justicia|prensa|medios|periodistas|dirigentes|sindicatos|fmi|kirchnerismo|jueces|congreso|diputados|senadores)(?!\w))|munición real|a quemarropa|golpead[oa]s (?:por (?:la policía|los? (?:agentes|policías|carabineros|uniformados|militares|soldados|antidisturbios|guardias))|con (?:porras|palos|bastones|toletes|culatas))|(?:fueron|resultaron|quedaron) golpead[oa]s(?! por (?:la|el|los|las) (?:crisis|inflación|desempleo|pandemia|alza|sequía|recesión))|heridos de gravedad"
    r"|manifestanti (?:\w+ ){0,3}(?:uccisi|morti|feriti)|(?:uccis[oie]|uccidendo|ferit[oie]) (?:\w+ ){0,3}manifestanti|aperto il fuoco"
    r"|(?:hanno |ha )?sparato(?! a zero)(?: \w+){0,4} (?:su|sui|sul|sulla|sulle|sugli|contro)|ad altezza d['’]uomo|proiettili veri|manganell\w*|pestat[oie]"
    r"|(?:демонстрант|протестующ|манифестант|участник)\w* (?:\w+ ){0,3}(?:погиб\w*|убит\w*|ранен\w*)"
    r"|(?:убил\w*|убит\w*|погибл\w*|погиб\w*|ранен\w*|ранил\w*) (?:\w+ ){0,4}(?:демонстрант|протестующ|манифестант|участник)\w*"
    r"|открыли огонь|стрел\w* (?:\w+ ){0,2}(?:на поражение|по (?:\w+ ){0,2}(?:демонстрант|протестующ|участник|толп|шестви)\w*)|боевыми патронами|избил\w*|избиени\w*|дубинк\w*"
    r"|balas reais|abri(?:u|ram) fogo contra|(?:gösterici|protestocu|eylemci)\w* (?:\w+ ){0,2}ateş aç\w*"
    r"|(?:gösterici|protestocu|eylemci)\w* (?:\w+ ){0,3}(?:öldü\w*|öldürül\w*|yaralan\w*|hayatını kaybetti)|(?:silah\w*|tüfe\w*|otomati\w*|kurşun\w*|rastgele|üzerine|üzerlerine|kalabalığa|aracına|araca|araçlara|evine|polis\w*|asker\w*|sivil\w*|karakol\w*|kişilere|gruba) (?:\w+ ){0,2}ateş açtı|açtığı ateş\w*|ateş (?:açarak|ederek)|gerçek mermi\w*|darp\w*"
    r"|أطلق\w* (?:\S+ ){0,4}(?<!إطلاق )النار|AR(?:رصاص الحي)|(?:قتل|مقتل|إصابة|أصيب)\w* (?:\S+ ){0,3}AR(?:متظاهر\w*|محتج(?:ون|ين|ان|ة|ات)?)|AR(?:متظاهر\w*|محتج(?:ون|ين|ان|ة|ات)?) (?:\S+ ){0,3}(?:قتل|قتلوا|مقتل|أصيب|إصابة)\w*|AR(?:هراوات)|دهس\w*"
)
_INTERVENTION_ML = (
    r"(?:gaz )?lacrymogènes?|canons? à eau|(?<!se sont )(?<!s'est )(?<!s’est )(?<!se )(?<!s'étaient )dispers(?:é|és|ée|ées|er|ant)|dispersion (?:du|de la|des) (?:\w+ ){0,2}(?:manifestants|rassemblement|cortège|foule|marche)|balles en caoutchouc|embarqu(?:é|és|ée|ées)"
    # arrests count as intervention only where protesters are the ones held ("police detained two organisers" is an arrest)
    r"|(?:interpell|arrêt)\w* (?:\w+ ){0,4}(?:manifestants|protestataires)|(?:manifestants|protestataires|étudiants|jeunes)(?: \w+){0,4} (?:interpellés|arrêtés)"
    r"|gases? lacrimógenos?|lacrimógen\w*|(?:cañones|tanquetas?) de agua|(?<!se )dispers(?:ó|aron|ar|ados?|adas?)|desaloj(?:ó|aron|ar|ados?|adas?)|balas de goma|perdigones|antidisturbios (?:\w+ ){0,3}(?:cargaron|dispersaron|desalojaron|dispararon|golpearon|detuvieron|lanzaron|reprimieron)|cargas? (?:\w+ ){0,1}(?:policiales|de los antidisturbios|de la policía)|carg(?:ó|aron) contra (?:\w+ ){0,2}(?:manifestantes|concentrados|la marcha|los estudiantes)"
    r"|lacrimogen\w*|idranti|(?:hanno|ha|sono stati|è stato) dispers\w*|per disperdere|sgomber(?:at[oiae]|ano|ando|are|o) (?:\w+ ){0,3}(?:manifestanti|presidio|sit-in|corteo|piazza|attivisti|studenti|blocco|accampamento|tendopoli)|(?:polizia|agenti|carabinieri|forze dell['’]ordine|celere) (?:\w+ ){0,3}(?:hanno |ha )?allontanat[oiae]|allontanat[oiae] (?:dalla polizia|dagli agenti|dai carabinieri|con la forza)|proiettili di gomma|cariche (?:della polizia|di alleggerimento|delle forze dell['’]ordine|degli agenti|della celere|dei carabinieri)|(?:polizia|agenti|celere|carabinieri|forze dell['’]ordine) (?:\w+ ){0,3}(?:hanno |ha )?caricat[oiae]|caricat[oiae] (?:dalla polizia|dagli agenti|dai carabinieri|dalla celere)|caricandoli"
    r"|слезоточив\w*|водом[её]т\w*|разогна\w*|разгон\w* (?:\w+ ){0,2}(?:митинг|акци|демонстр|протест|шестви|пикет|участник|толп|собрани|лагер|манифестац)\w*|резинов\w* пул\w*|перцов\w*|светошумов\w*|доставили в (?:отдел|отделени)\w*"
    r"|biber gaz\w*|tazyikli su\w*|(?:gösterici\w*|protestocu\w*|kalabalığ\w*|eylemci\w*|topluluğ\w*|grub[ua]|yürüyüş\w*|eylem\w*|miting\w*) (?:\w+ ){0,4}dağıt(?:tı|ıldı|mak|ıl\w*|ma\w*)\w*|plastik mermi\w*|havaya ateş\w*"
    r"|AR(?:غاز المسيل للدموع)|مسيل(?:ة)? للدموع|خراطيم المياه|AR(?:تفريق)(?! بين)|فرق(?:ت|وا)|AR(?:رصاص المطاطي)"
    r"|(?:detuv(?:o|ieron)|arrest(?:ó|aron)) (?:\w+ ){0,5}(?:manifestantes|que protestaban|que se manifestaban)|manifestantes (?:\w+ ){0,3}detenidos|se llevaron detenid\w*"
    r"|(?:fermat[oiae]|arrestat[oiae]|fermato|arrestato) (?:\w+ ){0,5}(?:manifestanti|studenti|che manifestavano|che protestavano)|manifestanti (?:\w+ ){0,3}(?:fermati|arrestati)"
    r"|задерж\w* (?:\w+ ){0,4}(?:участник|демонстрант|протестующ|манифестант)\w*|(?:участник|демонстрант|протестующ)\w* (?:\w+ ){0,3}задержан\w*"
    r"|(?:gösterici|protestocu|eylemci|destekçi)\w* (?:\w+ ){0,4}gözaltına al\w*|gösteri (?:düzenle|yap)\w* (?:\w+ ){0,5}gözaltına al\w*"
    r"|(?:detiveram|prenderam|detivera|deteve|prendeu) (?:\w+ ){0,4}(?:manifestantes|ativistas|estudantes|professores)"
    r"|(?:اعتقل|أوقف)\w* (?:\S+ ){0,4}AR(?:متظاهر\w*|محتج(?:ون|ين|ان|ة|ات)?|ناشط\w*)|AR(?:متظاهر\w*|محتج(?:ون|ين|ان|ة|ات)?) (?:\S+ ){0,3}AR(?:اعتقال|توقيف)"
)
_RIOT_ML = (
    r"caillass\w*|jet(?:é|aient|ant) des pierres|pierres|saccag\w*|pill(?:é|és|ée|ées|age|aient)|incendi(?:é|és|ée|ées|aient)|mis le feu(?! aux poudres)|cocktails? molotov|barricades?|vandalis\w*"
    r"|piedras|pedradas|apedre\w*|saque(?:aron|ó|os?)|incendi(?:aron|ó)|prendieron fuego|cócteles? molotov|barricadas|destroz(?:aron|ó)|quemaron"
    r"|pietre|sassi|sassaiol\w*|saccheggi\w*|incendiat[oiae]|dat[oi] alle fiamme|dat[oi] fuoco|molotov|barricate|devastat[oiae]"
    r"|напал\w* на (?:\w+ ){0,2}(?:полиц|сотрудник|силовик|полицейск)\w*"
    r"|incendiaram|queimaram|depredaram|apedrejaram|pedras"
    r"|камн(?:и|ями)(?! преткновени)|(?:брос|кида|забрас|закида)\w* (?:\w+ ){0,1}камн\w*|погром\w*|подожг\w*|разгроми\w*|громил\w*|молотов\w*|ворвались"
    r"|taş (?:attı|atan|atarak|yağdır\w*)|taşla\w*|yağmala\w*|ateşe ver\w*|kundakla\w*|molotof\w*|barikat\w*"
    r"|AR(?:حجارة)|رشق(?!ة|ات)\w*|أحرق\w*|أضرم\w*|نهب\w*|حطم\w*|اقتحم\w*|زجاجات حارقة|AR(?:مولوتوف)"
)
_PROTEST_CONTEXT = compile_cue(_PROTEST_CONTEXT_EN + "|" + _ar(_PROTEST_CONTEXT_ML))
_FORCE = compile_cue(_FORCE_EN + "|" + _ar(_FORCE_ML))
_INTERVENTION = compile_cue(_INTERVENTION_EN + "|" + _ar(_INTERVENTION_ML))
_RIOT = compile_cue(_RIOT_EN + "|" + _ar(_RIOT_ML))
# Territory: who took it decides between the two battle sub-types.
_STATE_SUBJECT = compile_cue(
    r"army|armed forces|government forces|government troops|pro-government|troops|troopers|soldiers|military|regime forces"
    r"|defen[cs]e forces?|national guard|guardsmen|gendarmes?|federal (?:forces|troops)|state forces|junta|tatmadaw|fardc|endf"
    r"|lna|libyan national army|amisom|peacekeepers|bunyan marsous|bunyan al-marsous"
    r"|security forces|paramilitary|popular mobilization|national army|forces loyal to the government|saa|government"
    r"|armée|militaires|soldats|forces armées|forces gouvernementales|ejército|militares|soldados|fuerzas armadas|esercito|militari|soldati"
    r"|армия|военные|ВСУ|ordu|askerler|(?:ال)?(?:جيش|الجيش|القوات الحكومية)"
)
_NONSTATE_SUBJECT = compile_cue(
    r"militants?|rebels?|insurgents?|jihadists?|terrorists?|isis|isil|islamic state|daesh|al-shabaa?b|shabaab|houthis?"
    r"|huthis?|taliban|boko haram|fighters|militias?|opposition|kurdish|ypg|sdf|nusra|tahrir al-sham|hts|pkk|npa"
    r"|gunmen|ansarullah|separatists?|m23|militiam[ae]n|guerrillas?"
    # French, Spanish, Italian, Russian, Turkish, Arabic
    r"|rebelles|jihadistes|djihadistes|insurgés|miliciens|milices|terroristes|assaillants|rebeldes|yihadistas|insurgentes|milicianos|guerrilleros"
    r"|ribelli|jihadisti|miliziani|insorti|боевик\w*|повстанц\w*|militanlar\w*|isyancı\w*|(?:ال)?(?:مسلحون|المسلحين|متمردون|المتمردين|مسلحو)"
)
_CAPTURE = compile_cue(
    r"regain(?:ed|s)?|re-?took|re-?tak(?:e|es|en|ing)|re-?captur(?:ed|ing|es|e)|liberat(?:ed|ing)|seized"
    r"|took (?:full |complete |total )?control|made (?:\w+ )?gains|recover(?:ed|s)? (?:the |control of )?(?:\w+ ){0,3}(?:zone|area|town|district|city|village|base|positions)"
    r"|taken over|wrested|dislodg(?:e|ed|es|ing)|clear(?:s|ed)? (?:\w+ ){0,4}of|stormed into|(?:pushed|drove|forced|chased) (?:\w+ ){0,3}out of|reoccupied|reclaimed|took back|wrested|(?:took|taken) the control|driving out|captur(?:ed|ing)(?! alive)(?! (?:\w+ ){0,4}(?:commanders?|leaders?|members?|suspects?|militants|fighters|soldiers|operatives?))"
    r"|taken (?:full |complete |total )?control|gained control|established control|took over|overran|gained ground|pushed back|purg(?:ed|ing)"
    r"|regained control|cleared|occupied|routed|back in (?:charge|control)|(?:announced|declared|claiming) (?:its |their |full )?control"
    # French, Spanish, Italian, Russian, Turkish: the ground changed hands
    r"|(?:pris|prise) (?:le )?contrôle|s['’](?:est|sont) emparé(?:e|s|es)?|se sont emparé(?:e|s|es)?|tom(?:ó|aron) el control|(?:preso|presa) il controllo"
    r"|(?:a|ont) (?:re)?pris|tom(?:ó|aron)|(?:ha|hanno) (?:ri)?(?:preso|conquistato)|(?:re)?conquist(?:ó|aron)|(?:ri)?conquistat[oiae]"
    r"|захватил\w*|заняли|взяли под контроль|ele geçirdi|ele geçirdiler|(?:سيطر|سيطرت|سيطروا|استولى|استولت|استولوا) على"
)
_TERRITORY = ("GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER")
_PASSIVE = re.compile(r"\b(?:were|was|been|being|are|is)\s+(?:\w+\s+)?$", re.I)


def _first_sentence_end(text: str) -> int:
    m = _FIRST_SENTENCE.search(text, 40)
    return m.end() if m else len(text)


# "a day after shells killed five", "following last week's airstrike": a background clause
_BACKGROUND_CLAUSE = re.compile(
    r"(?:\b(?:a|one|two|three|several|few) (?:day|days|week|weeks|month|months|year|years) (?:after|before)|\bdays? after"
    r"|\bweeks? after|\bhours? (?:after|before)|\bshortly after|\bfollowing|\bamid|\bsince|\bdespite|\bin spite of"
    # "malgré la trêve", "pese al alto el fuego", "nonostante la tregua", "несмотря на перемирие", "رغم الهدنة"
    r"|\bmalgré|\bheures après|\bpese al?|\ba pesar del?|\bhoras después del?|\bnonostante|\bore dopo"
    r"|несмотря на|через несколько часов после|\brağmen|رغم|بعد ساعات من)\s+(?:[\w'’-]+\s+){0,4}$", re.I)
# "Shells struck the port, ..., hours after officers sat down for a second round of ceasefire
# talks": a clause set "hours after" something tells that something as background, however long
# it runs, up to the next punctuation
_BACKGROUND_SUBCLAUSE = re.compile(
    r"\b(?:hours?|days?|minutes?|weeks?|shortly|just|moments?|heures|horas|ore|часов|дней)\s+"
    r"(?:after|before|après|avant|después de|antes de|dopo|prima di|после|до)\s+[^,.;:!?()\n]{0,160}$", re.I)
BACKGROUND_DISCOUNT = 0.4


class _CueGates:
    """A lexicon's cues in one :class:`GateIndex`: classes, then process types, cue by cue."""

    def __init__(self, lex: Lexicon) -> None:
        self.first: dict[int, int] = {}  # id of a class -> position of its first cue
        patterns: list[re.Pattern[str]] = []
        for cls in (*lex.classes.values(), *lex.process_types.values()):
            self.first[id(cls)] = len(patterns)
            patterns.extend(cue.pattern for cue in cls.cues)
        self.index = GateIndex(patterns)


_GATES: IdentityCache[Lexicon, _CueGates] = IdentityCache(_CueGates, 16)


def _cue_gates(lex: Lexicon) -> _CueGates:
    """The (cached) cue gates of ``lex``."""
    return _GATES.get(lex)


def gated_cues(text: str, lex: Lexicon | None = None) -> Callable[[EventClass], list[Cue]]:
    """For ``text``, a function giving a class's (or process type's) cues that may match it:
    the others cannot (their literal gate says so, exactly), so a caller that searches every
    cue of several classes in one sentence skips most of the searches."""
    lex = lex or lexicon()
    gates = _cue_gates(lex)
    may = gates.index.candidates(fold(text))

    def cues(cls: EventClass) -> list[Cue]:
        return [cue for at, cue in enumerate(cls.cues, gates.first[id(cls)]) if at in may]

    return cues


def _score_class(cls: EventClass, text: str, cut: int, later: float,
                 may: set[int] | None = None, first: int = 0) -> tuple[float, list[Evidence]]:
    """The class's score and evidence; ``may``, when given, holds the positions (from
    ``first`` for this class's cues) of the cues whose literal gate lets them match."""
    total = 0.0
    found: list[Evidence] = []
    for at, cue in enumerate(cls.cues, first):
        # a substring test rules most cues out (exact: trucewatch.text.literal_gate)
        if may is not None and at not in may:
            continue
        m = cue.pattern.search(text)
        if not m:
            continue
        weight = cue.weight if m.start() < cut else cue.weight * later
        if (_BACKGROUND_CLAUSE.search(text, max(0, m.start() - 60), m.start())
                or _BACKGROUND_SUBCLAUSE.search(text, max(0, m.start() - 200), m.start())):
            weight *= BACKGROUND_DISCOUNT
        total += weight
        found.append(Evidence(m.start(), m.end(), m.group(), weight))
    return total, found


def _weighted(pattern: re.Pattern[str], text: str, cut: int, later: float) -> tuple[float, re.Match[str] | None]:
    m = pattern.search(text)
    if not m:
        return 0.0, None
    return (1.0 if m.start() < cut else later), m


def _protest_rules(text: str, cut: int, later: float, scores: dict[str, float],
                   evidence: dict[str, list[Evidence]]) -> None:
    base = scores.get("PEACE_PROTEST", 0.0)
    context, _ = _weighted(_PROTEST_CONTEXT, text, cut, later)
    if context <= 0 and base < 4:  # supporting words ("against", "demanded") are no protest
        return
    base = max(base, 2.0 * context)
    force, fm = _weighted(_FORCE, text, cut, later)
    inter, im = _weighted(_INTERVENTION, text, cut, later)
    riot, rm = _weighted(_RIOT, text, cut, later)
    if riot and rm:
        scores["VIOL_DEMONSTR"] = max(scores.get("VIOL_DEMONSTR", 0.0), base + 4.0 * riot)
        evidence.setdefault("VIOL_DEMONSTR", []).insert(0, Evidence(rm.start(), rm.end(), rm.group(), 4.0 * riot))
    if force and fm:
        # forces killing or maiming protesters is this type, whatever else the words suggest
        rivals = max(scores.get("ATTACK", 0.0), scores.get("ARMED_CLASH", 0.0))
        scores["FORCE_AGAINST_PROTEST"] = max(base + 3.5 * force, rivals + 0.5)
        evidence["FORCE_AGAINST_PROTEST"] = [Evidence(fm.start(), fm.end(), fm.group(), 3.5 * force)]
    if inter and im:
        # protesters detained are a protest with intervention, however many arrest words (codebook)
        scores["PROTEST_WITH_INTER"] = max(base + 3.0 * inter, scores.get("ARREST", 0.0) + 0.5)
        evidence["PROTEST_WITH_INTER"] = [Evidence(im.start(), im.end(), im.group(), 3.0 * inter)]


def _territory_rules(text: str, scores: dict[str, float], evidence: dict[str, list[Evidence]]) -> None:
    m = _CAPTURE.search(text)
    if not m:
        return
    total = max(scores.get(code, 0.0) for code in _TERRITORY)
    if total <= 0:
        return
    stop = text.rfind(". ", 0, m.start())  # -1 when the capture is in the first sentence
    sentence_start = max(stop + 2 if stop >= 0 else 0, m.start() - 160)
    before = text[sentence_start : m.start()]
    state = _STATE_SUBJECT.search(before)
    nonstate = _NONSTATE_SUBJECT.search(before)
    if state or nonstate:
        # the clause's first actor is its subject: "the army and allied fighters captured"
        first_is_state = state is not None and (nonstate is None or state.start() <= nonstate.start())
        winner = _TERRITORY[0] if first_is_state else _TERRITORY[1]
        if _PASSIVE.search(before):  # "the militants were pushed back": the subject lost it
            winner = _TERRITORY[1] if winner == _TERRITORY[0] else _TERRITORY[0]
    else:
        winner = _TERRITORY[0] if re.match(r"re|liberat", m.group(), re.I) else _TERRITORY[1]
    loser = _TERRITORY[1] if winner == _TERRITORY[0] else _TERRITORY[0]
    # ground that changed hands decides the type, however hard the fighting (codebook)
    scores[winner] = max(total, scores.get("ARMED_CLASH", 0.0)) + 1.0
    scores[loser] = min(scores.get(loser, 0.0), total * 0.5)
    evidence.setdefault(winner, []).insert(0, Evidence(m.start(), m.end(), m.group(), 1.0))
    # Ground handed over or left without a fight is a non-violent transfer (codebook).
    if scores.get("NON_VIOL_TERRIT_TRANSFER", 0.0) > 0 and scores.get("ARMED_CLASH", 0.0) == 0:
        scores["NON_VIOL_TERRIT_TRANSFER"] = max(scores["NON_VIOL_TERRIT_TRANSFER"], scores[winner] + 0.5)


#: Fighting named only to say there was none: "handed over the villages without fighting",
#: "sin enfrentamientos", "без боёв", "çatışma yaşanmadan", "دون قتال".
_WITHOUT_FIGHTING = compile_cue(
    r"without (?:any |a single )?(?:fight(?:ing)?|clash(?:es)?|combat|resistance|a shot (?:being )?fired)|no (?:fighting|clashes) (?:took place|occurred|was reported)"
    r"|sans (?:le moindre |aucun )?(?:combat|combats|affrontements?|heurts)|sin (?:enfrentamientos|combates|disparar un (?:solo )?tiro)"
    r"|senza (?:combattere|scontri|combattimenti|sparare un colpo)|sem (?:confrontos|combates|resistência)"
    r"|без (?:единого выстрела|боя|боёв|боев|столкновений)|çatışma (?:yaşanmadan|olmadan|çıkmadan)|çatışmasız\w*"
    r"|(?:دون|بدون|من دون) (?:أي )?(?:قتال|مواجهات|اشتباكات|معارك)")


def _without_fighting_rule(text: str, scores: dict[str, float], evidence: dict[str, list[Evidence]]) -> None:
    """Clash cues inside a "without fighting" phrase tell no clash: their weight is taken back."""
    if "ARMED_CLASH" not in evidence:
        return
    spans = [m.span() for m in _WITHOUT_FIGHTING.finditer(text)]
    if not spans:
        return
    kept = [e for e in evidence["ARMED_CLASH"] if not any(a <= e.start and e.end <= b for a, b in spans)]
    if len(kept) == len(evidence["ARMED_CLASH"]):
        return
    total = sum(e.weight for e in kept)
    if total > 0:
        scores["ARMED_CLASH"], evidence["ARMED_CLASH"] = total, kept
    else:
        scores.pop("ARMED_CLASH", None)
        evidence.pop("ARMED_CLASH", None)


def score_text(text: str, lex: Lexicon | None = None) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
    """Every class's score for ``text`` and the cues that gave it."""
    lex = lex or lexicon()
    cut = _first_sentence_end(text)
    scores: dict[str, float] = {}
    evidence: dict[str, list[Evidence]] = {}
    folded = fold(text)
    gates = _cue_gates(lex)
    may = gates.index.candidates(folded) if folded is not None else None
    for code, cls in lex.classes.items():
        total, found = _score_class(cls, text, cut, lex.later_weight, may, gates.first[id(cls)])
        if total > 0:
            scores[code] = total
            evidence[code] = found
    _without_fighting_rule(text, scores, evidence)
    _protest_rules(text, cut, lex.later_weight, scores, evidence)
    _territory_rules(text, scores, evidence)
    _method_rule(scores)
    _method_destroys_rule(text, scores, evidence)
    _crowd_rule(text, cut, lex.later_weight, scores, evidence)
    return scores, evidence


# A crowd that burns, smashes or blocks is rioting, protest word or not (codebook:
# violent demonstration); an armed group doing the same is looting/property destruction.
_CROWD_DAMAGE = compile_cue(
    r"(?:students|pupils|supporters|residents|youths?|community|villagers|crowds?|cadres|workers|traders|depositors"
    r"|demonstrators|protesters|fans|locals|angry \w+)(?: (?!said\b|says\b|soldiers\b|troops\b|police\b|militants\b|gunmen\b)\w+){0,12}? (?:burn(?:ed|t|ing)(?: down)?|torched|set fire|set \w+ (?:\w+ )?(?:on fire|ablaze|alight)|destroyed|stormed"
    r"|smashed|shattered|vandali[sz]ed|looted|stoned|blocked (?:the )?(?:\w+ )?(?:roads?|streets?|highway|circulation|traffic)"
    r"|attacked (?:a |the )?police (?:post|station|vehicle)s?"
    r"|barricaded|ransacked|pelted)"
)


def _crowd_rule(text: str, cut: int, later: float, scores: dict[str, float],
                evidence: dict[str, list[Evidence]]) -> None:
    weight, m = _weighted(_CROWD_DAMAGE, text, cut, later)
    if m is None:
        return
    # ahead of the protest itself: "demonstrators ransacked" is a riot
    scores["VIOL_DEMONSTR"] = max(scores.get("VIOL_DEMONSTR", 0.0), 5.0 * weight, scores.get("PEACE_PROTEST", 0.0) + 1.0)
    evidence.setdefault("VIOL_DEMONSTR", []).insert(0, Evidence(m.start(), m.end(), m.group(), 5.0 * weight))


# Violence done with a bomb, a shell or an aircraft is coded by its method, even when it
# hits civilians (codebook): a defining method cue outranks the generic "attack".
_METHODS = ("SUIC_BOMB", "CHEM_WEAP", "AIR_STRIKE", "ART_MISS_ATTACK", "REM_EXPLOS", "GRENADE")


# "its artillery destroyed an arms depot": a strike that destroys weapons is coded by its
# method (codebook: disrupted weapons use is an interception, a defusing or a seizure)
_METHOD_DESTROYS = compile_cue(
    r"(?:artillery|shells|shelling|rockets?|missiles?|mortars?|air ?strikes?|warplanes|jets|drones?|aircraft)"
    r"\s+(?:had\s+|has\s+|have\s+)?(?:destroyed|hit|struck|targeted|blew up)")


def _method_destroys_rule(text: str, scores: dict[str, float], evidence: dict[str, list[Evidence]]) -> None:
    disrupted = scores.get("DISR_WEAP", 0.0)
    m = _METHOD_DESTROYS.search(text)
    if disrupted <= 0 or m is None:
        return
    method = max(("AIR_STRIKE", "ART_MISS_ATTACK"), key=lambda code: scores.get(code, 0.0))
    if scores.get(method, 0.0) >= 4.0:
        scores[method] = max(scores[method], disrupted + 2.0)
        evidence.setdefault(method, []).insert(0, Evidence(m.start(), m.end(), m.group(), 2.0))


def _method_rule(scores: dict[str, float]) -> None:
    chem = scores.get("CHEM_WEAP", 0.0)
    if chem >= 5.0:  # a chlorine barrel bomb is a chemical weapon, not an air strike
        scores["CHEM_WEAP"] = max(chem, *(scores.get(c, 0.0) + 0.5 for c in _METHODS if c != "CHEM_WEAP"))
    # a defining suicide-bomber cue names the method: the bomb's own words ("bomba se explodiu",
    # "explosive vest") support it instead of making a remote explosion (scores are capped in fusion)
    if scores.get("SUIC_BOMB", 0.0) >= 7.0 and scores.get("REM_EXPLOS", 0.0) > 4.0:
        scores["REM_EXPLOS"] = 4.0
    attack = scores.get("ATTACK", 0.0)
    if attack <= 0:
        return
    best = max(_METHODS, key=lambda code: scores.get(code, 0.0))
    if scores.get(best, 0.0) >= 4.0 and scores[best] <= attack:
        scores[best] = attack + 0.5


@dataclass(frozen=True)
class Fusion:
    """How the lexicon's cue scores and the model's probabilities combine.

    ``lexicon_weight``: log-odds per point of cue score (scores capped at ``cap``);
    ``none_prior``: the cue score NONE gets when the lexicon found cues but none reached
    its threshold (weak cues lean to "no event"); ``min_probability``: with no cue of any
    class, the model fires only at this probability or above. The shipped values were
    chosen on case2021-dev; ``benchmarks/event_accuracy.py`` reports their 5-fold
    cross-validated figure (each fold scored with values chosen on the other four).
    """

    lexicon_weight: float = 3.0
    none_prior: float = 2.0
    min_probability: float = 0.6
    cap: float = 8.0


FUSION = Fusion()
#: The grid the benchmark's cross-validation chooses from (FUSION must be in it). The
#: NONE prior is never below the lexicon's threshold: a cue too weak for the lexicon to
#: call an event ("signed a striker") must not outweigh "no event" on its own.
FUSION_GRID: tuple[Fusion, ...] = tuple(
    Fusion(w, p, m) for w in (0.5, 1.0, 1.5, 2.0, 3.0) for p in (2.0, 3.0) for m in (0.0, 0.4, 0.6))
NONE = "NONE"


def fuse(probabilities: dict[str, float], scores: dict[str, float], lex: Lexicon,
         fusion: Fusion = FUSION) -> tuple[str, dict[str, float]]:
    """The winning class (an ACLED code or NONE) and every class's combined probability."""
    cues: dict[str, float] = {}
    for code, value in scores.items():
        key = code if lex.classes[code].acled else NONE
        cues[key] = max(cues.get(key, 0.0), value)
    top = max(cues.values(), default=0.0)
    if 0.0 < top < lex.threshold:
        cues[NONE] = max(cues.get(NONE, 0.0), fusion.none_prior)
    combined = {c: math.log(max(p, 1e-12)) + fusion.lexicon_weight * min(fusion.cap, cues.get(c, 0.0))
                for c, p in probabilities.items()}
    peak = max(combined.values())
    weights = {c: math.exp(v - peak) for c, v in combined.items()}
    total = sum(weights.values())
    blend = {c: w / total for c, w in weights.items()}
    best = max(blend, key=lambda c: blend[c])
    if best == "ATTACK":
        # the codebook codes violence done with a bomb, a shell or an aircraft by its method,
        # even when it hits civilians: the model's "attack" does not overrule a method cue
        method = max(_METHODS, key=lambda c: scores.get(c, 0.0))
        if scores.get(method, 0.0) >= 4.0 and method in blend:
            best = method
    if top == 0.0 and best != NONE and probabilities[best] < fusion.min_probability:
        best = NONE  # no cue at all and an unsure model: no event
    return best, blend


def classify(text: str, lang: str | None = None, use_model: bool = True, fusion: Fusion = FUSION) -> Classification:
    """The ACLED sub-event type ``text`` reports (None when it reports none).

    With the embedding model on, the lexicon and the model decide together (see the
    module's docstring) and an event may come with no cue; its evidence is then the
    text's anchor word (``anchors`` in the lexicon), else the whole text. ``lang`` is
    accepted for the interface's sake: the model reads every language it was trained on.
    """
    lex = lexicon()
    if not text or not text.strip():
        return Classification(None, None, None, 0.0)
    scores, evidence = lexicon_scores(text)
    if not use_model or lexicon_sure(scores, lex):
        return _lexicon_verdict(text, scores, evidence, lex) if scores else Classification(None, None, None, 0.0)
    from trucewatch.extract.events.model import probabilities

    probs = probabilities(text)
    if probs is None:
        return _reranked(text, scores, evidence, lex)
    best, blend = fuse(probs, scores, lex, fusion)
    rounded = {k: round(v, 3) for k, v in sorted(scores.items(), key=lambda kv: -kv[1])}
    if best == NONE:
        rivals = [c for c, _ in sorted(scores.items(), key=lambda kv: -kv[1]) if not lex.classes[c].acled]
        rival = rivals[0] if rivals and scores[rivals[0]] >= lex.threshold else None
        return Classification(rival, None, None, round(blend[NONE], 3), rounded,
                              tuple(evidence.get(rival, ())) if rival else ())
    cls = lex.classes[best]
    acled_ranked = [c for c in sorted(scores, key=lambda c: -scores[c]) if lex.classes[c].acled]
    ev = tuple(evidence.get(best) or (evidence.get(acled_ranked[0], ()) if acled_ranked else ())) \
        or (_anchor(text, lex),)
    return Classification(best, cls.event_type, cls.sub_event_type, round(blend[best], 3), rounded, ev)


# Lines that carry no news: bylines, credits, links, subscription prompts.
_BOILERPLATE = re.compile(
    r"^\W*(?:photo|image|video|file photo|credit|copyright|©|all rights reserved|read more|related|subscribe|sign up"
    r"|follow us|share this|advertisement|click here|https?://|www\.)", re.I)
MIN_MODEL_CHARS = 20


def worth_embedding(sentence: str, lede: bool = False) -> bool:
    """Whether a sentence deserves the embedding model (the costly step): not a short line
    or boilerplate, and in the lede or holding an anchor word or a process cue."""
    if len(sentence.strip()) < MIN_MODEL_CHARS or _BOILERPLATE.match(sentence):
        return False
    lex = lexicon()
    if lede or (lex.anchors is not None and lex.anchors.search(sentence)):
        return True
    gates = _cue_gates(lex)
    may = gates.index.candidates(fold(sentence))  # rules most cues out without a regex search
    return any(at in may and cue.pattern.search(sentence)
               for cls in lex.process_types.values() for at, cue in enumerate(cls.cues, gates.first[id(cls)]))


#: A lexicon lead (in cue points) that the model cannot overturn: times the fusion's
#: lexicon weight it is 12 nats or more, a probability ratio of e^12, beyond what the
#: model gives between two classes on any of our texts (the benchmark replays the fusion
#: with the model on every snippet and warns when the two verdicts differ). Such texts
#: are not embedded, which saves the costly step on most plain English reports.
SURE_LEAD = 4.0


def lexicon_sure(scores: dict[str, float], lex: Lexicon, fusion: Fusion = FUSION) -> bool:
    """Whether the lexicon's verdict stands whatever the model says."""
    if fusion.lexicon_weight * SURE_LEAD < 12.0:
        return False
    ranked = sorted((min(fusion.cap, v) for v in scores.values()), reverse=True)
    top = ranked[0] if ranked else 0.0
    second = max(ranked[1] if len(ranked) > 1 else 0.0, fusion.none_prior if top < lex.threshold else 0.0)
    return top >= lex.threshold and top - second >= SURE_LEAD


@lru_cache(maxsize=2048)
def _cached_scores(text: str) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
    """The lexicon's scores, kept for a while: extraction asks for a sentence's twice
    (to decide whether to embed it, then to classify it). Callers must not change them."""
    return score_text(text, lexicon())


def lexicon_scores(text: str) -> tuple[dict[str, float], dict[str, list[Evidence]]]:
    """The lexicon's scores of ``text``, read without Arabic vowel marks; the evidence keeps
    the offsets of ``text`` itself (marks inside a cue's span are part of it)."""
    bare = without_vowel_marks(text)
    if bare is None:
        return _cached_scores(text)
    stripped, where = bare
    scores, evidence = _cached_scores(stripped)

    def back(e: Evidence) -> Evidence:
        start, end = span_back(where, len(text), e.start, e.end)
        return Evidence(start, end, text[start:end], e.weight)

    return scores, {code: [back(e) for e in found] for code, found in evidence.items()}


def clear_caches() -> None:
    """Forget cached lexicon scores and sentence vectors (for timing a cold pass)."""
    from trucewatch.extract.events.model import clear_vectors

    _cached_scores.cache_clear()
    clear_vectors()


def needs_model(sentence: str, lede: bool = False) -> bool:
    """Whether extraction should embed ``sentence``: worth it and not settled by the lexicon."""
    return worth_embedding(sentence, lede) and not lexicon_sure(lexicon_scores(sentence)[0], lexicon())


def _anchor(text: str, lex: Lexicon) -> Evidence:
    """Where a cue-less event is told: the first anchor word ("killed", "tués", "убиты"...),
    else the whole text without its outer spaces."""
    m = lex.anchors.search(text) if lex.anchors is not None else None
    if m:
        return Evidence(m.start(), m.end(), m.group(), 0.0)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Evidence(start, end, text[start:end], 0.0)


def _reranked(text: str, scores: dict[str, float], evidence: dict[str, list[Evidence]], lex: Lexicon) -> Classification:
    """Without embeddings: the lexicon proposes and the word-frequency model re-ranks."""
    if not scores:
        return Classification(None, None, None, 0.0)
    result = _lexicon_verdict(text, scores, evidence, lex)
    from trucewatch.extract.events.rerank import rerank

    best, blend = rerank(text, scores, result.code if result.code in lex.classes else None)
    if best is None or best == (result.code if result.is_acled else NONE):
        return result
    if best == NONE:
        rival = next((c for c, _ in sorted(scores.items(), key=lambda kv: -kv[1]) if not lex.classes[c].acled), None)
        return Classification(rival, None, None, round(blend[best], 3), result.scores,
                              tuple(evidence.get(rival, ())) if rival else ())
    cls = lex.classes[best]
    acled_ranked = [c for c in sorted(scores, key=lambda c: -scores[c]) if lex.classes[c].acled]
    ev = tuple(evidence.get(best) or (evidence.get(acled_ranked[0], ()) if acled_ranked else ()))
    return Classification(best, cls.event_type, cls.sub_event_type, round(blend[best], 3), result.scores, ev)


def _lexicon_verdict(text: str, scores: dict[str, float], evidence: dict[str, list[Evidence]],
                     lex: Lexicon) -> Classification:
    """The lexicon's own answer: the best-scoring class, if it reaches the threshold."""
    # a tie goes to the class whose cue comes first: news opens with its main verb
    first = {code: min((e.start for e in evidence.get(code, ())), default=len(text)) for code in scores}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], first[kv[0]], kv[0]))
    code, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    score = round(min(1.0, top / 8.0) * (0.5 + 0.5 * (top - second) / top), 3)
    rounded = {k: round(v, 3) for k, v in ranked}
    if top < lex.threshold:
        return Classification(None, None, None, 0.0, rounded)
    cls = lex.classes[code]
    ev = tuple(evidence.get(code, ()))
    if not cls.acled:
        return Classification(code, None, None, score, rounded, ev)
    return Classification(code, cls.event_type, cls.sub_event_type, score, rounded, ev)
