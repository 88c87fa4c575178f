import type { RoomState } from './state.js';

/**
 * Letters from other scripts that look like a Latin one in common fonts, mapped before case is
 * folded (Greek capital Beta looks like B, its small form does not).
 */
const lookAlikes: Record<string, string> = {
  // Cyrillic capitals and small letters
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ѕ: 'S', І: 'I', Ј: 'J', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Һ: 'H', Ӏ: 'l',
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ү: 'y', ɡ: 'g',
  // Greek capitals and small letters
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ω: 'w',
  // Latin letters that pass for others
  ı: 'i', ȷ: 'j', ɑ: 'a', ǀ: 'l',
};

/** Once case is folded, characters one font or another draws alike. */
const alikeAfterFolding: [RegExp, string][] = [
  [/[1il|!]/g, 'l'],
  [/0/g, 'o'],
  [/rn/g, 'm'],
  [/vv/g, 'w'],
];

/**
 * What a name looks like, with everything that does not change its look folded away: width and
 * compatibility forms, accents, invisible characters, case, look-alike letters, spaces and punctuation.
 * Two names with the same skeleton can pass for each other on screen.
 */
export function nameSkeleton(name: string): string {
  let folded = [...name.normalize('NFKD').replace(/[\p{M}\p{Default_Ignorable_Code_Point}]/gu, '')]
    .map((char) => lookAlikes[char] ?? char)
    .join('')
    .toLowerCase();
  for (const [pattern, replacement] of alikeAfterFolding) folded = folded.replace(pattern, replacement);
  const skeleton = folded.replace(/[\p{P}\p{Z}\p{White_Space}]/gu, '');
  return skeleton === '' ? name.normalize('NFC').toLowerCase() : skeleton;
}

const facilitatorWord = nameSkeleton('facilitator');

/** Why a member may not take this name in this room, or null. */
export function memberNameClash(state: RoomState, memberId: string, name: string): { code: 'NAME_TAKEN' | 'NAME_NOT_ALLOWED'; detail: string } | null {
  if (nameSkeleton(name).includes(facilitatorWord)) return { code: 'NAME_NOT_ALLOWED', detail: 'only the facilitator is called facilitator' };
  return nameClash(state, memberId, name);
}

/** Why anyone may not take this name in this room: someone here already goes by one that looks the same. */
export function nameClash(state: RoomState, personId: string, name: string): { code: 'NAME_TAKEN'; detail: string } | null {
  const skeleton = nameSkeleton(name);
  const clash = Object.values(state.participants).some(
    (person) => person.id !== personId && (person.status === 'waiting' || person.status === 'admitted') && nameSkeleton(person.name) === skeleton,
  );
  return clash ? { code: 'NAME_TAKEN', detail: 'someone here goes by that name or one that looks the same' } : null;
}
