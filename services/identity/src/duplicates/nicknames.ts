/**
 * Common English given-name variants, one group per formal name. Two first names are nickname
 * matches when they share a group ("bob" ~ "robert", "liz" ~ "beth" through "elizabeth").
 *
 * Kept here as a short curated table instead of a package: the npm packages for this are
 * either generators with no data or unmaintained; the public lists (e.g. carltonnorthern/nicknames)
 * are large CSVs whose long tail ("al" for a dozen names) causes false suggestions. Extend as needed.
 */
const NICKNAME_GROUPS: readonly string[] = [
  'abigail abby abbie gail',
  'alexander alex alec alexandra alexa sandy sasha xander',
  'albert al bert bertie',
  'alfred alf alfie fred',
  'andrew andy drew',
  'anthony tony ant',
  'barbara barb babs barbie',
  'benjamin ben benny benji',
  'bradley brad',
  'catherine cathy cath kate katie kat kathy katherine kathryn cate',
  'charles charlie chuck chas chaz',
  'charlotte lottie charlie',
  'christopher chris kit topher',
  'christine chris chrissy tina christina kristina',
  'cynthia cindy',
  'daniel dan danny',
  'david dave davey',
  'deborah debbie deb debra',
  'dominic dom',
  'donald don donny',
  'dorothy dot dottie',
  'douglas doug',
  'edward ed eddie ted teddy ned',
  'elizabeth liz lizzie beth betty betsy eliza libby elisabeth',
  'eleanor ellie nora elle',
  'emily em emmy',
  'frances fran frankie',
  'francis frank frankie',
  'frederick fred freddie',
  'gabriel gabe',
  'gerald gerry jerry',
  'gregory greg',
  'harold harry hal',
  'henry harry hank hal',
  'isabella isabel izzy bella isabelle',
  'jacob jake',
  'james jim jimmy jamie',
  'jennifer jen jenny jenn',
  'jessica jess jessie',
  'john jack johnny jon',
  'jonathan jon jonny nathan',
  'joseph joe joey',
  'josephine jo josie',
  'joshua josh',
  'judith judy jude',
  'katherine kate katie kathy kat kay',
  'kenneth ken kenny',
  'kimberley kim kimberly',
  'lawrence larry laurie laurence',
  'leonard leo len lenny',
  'louise lou lulu louisa',
  'madeline maddie maddy madeleine madison',
  'margaret maggie meg peggy marge margie greta',
  'matilda tilly mattie',
  'matthew matt matty',
  'megan meg',
  'michael mike mick mickey mikey',
  'michelle shelley michele',
  'nathaniel nate nathan nat',
  'nicholas nick nicky nico',
  'nicole nikki nicky',
  'oliver ollie',
  'patricia pat patty tricia trish',
  'patrick pat paddy',
  'peter pete',
  'philip phil pip phillip',
  'rebecca becky becca',
  'richard rick ricky dick rich richie',
  'robert bob bobby rob robbie bert',
  'ronald ron ronnie',
  'samantha sam sammy',
  'samuel sam sammy',
  'sarah sally sara',
  'stephen steve stevie steven',
  'susan sue susie suzanne',
  'theodore theo ted teddy',
  'thomas tom tommy',
  'timothy tim timmy',
  'victoria vicky vic tori',
  'vincent vince vinny',
  'walter walt wally',
  'william bill billy will willy liam',
  'zachary zach zack',
];

/** name -> indexes of the groups it belongs to (some short names sit in several). */
const GROUPS_BY_NAME: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  NICKNAME_GROUPS.forEach((group, index) => {
    for (const name of group.split(' ')) {
      const groups = map.get(name) ?? [];
      groups.push(index);
      map.set(name, groups);
    }
  });
  return map;
})();

/** True when two different lower-case first names are known variants of one name. */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const groupsA = GROUPS_BY_NAME.get(a);
  const groupsB = GROUPS_BY_NAME.get(b);
  if (!groupsA || !groupsB) return false;
  return groupsA.some((g) => groupsB.includes(g));
}
