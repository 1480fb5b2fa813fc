import { FIELD_COUNT, FIELD_INDEX } from './comparison-fields';
import { estimateMProbabilities, estimatePriorMatchProbability, estimateUProbabilities, seededRandom } from './estimate-model';
import { defaultMatchModel } from './match-model';
import { prepareCandidate } from './prepared-candidate';
import { contact } from './test-contacts';

describe('model estimation', () => {
  it('draws the same random numbers for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const draws = Array.from({ length: 5 }, () => a());
    expect(draws).toEqual(Array.from({ length: 5 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('learns u from random pairs, never zero for unseen levels', () => {
    const people = ['Lee', 'Ng', 'Ito', 'Roe'].map((last, i) => prepareCandidate(contact(String(i), { firstName: 'Ann', lastName: last })));
    const model = estimateUProbabilities(defaultMatchModel(), people, undefined, 10_000);
    expect(model.fields.firstName[0].u).toBe(1); // everyone is Ann: agreeing on it means nothing
    expect(model.fields.lastName[0].u).toBeGreaterThan(0);
    expect(model.fields.lastName[0].u).toBeLessThan(1e-4); // half a count of ~7,500 usable draws
    expect(model.fields.email).toEqual(defaultMatchModel().fields.email); // never present: prior kept
  });

  it('learns m by EM without labels, leaving out the fields a rule forced to agree', () => {
    // 60 pairs agree on date of birth and postal code (duplicates), 140 disagree on both.
    const levels = new Int8Array(200 * FIELD_COUNT).fill(-1);
    for (let pair = 0; pair < 200; pair++) {
      const same = pair < 60;
      levels[pair * FIELD_COUNT + FIELD_INDEX.dateOfBirth] = same ? 0 : 3;
      levels[pair * FIELD_COUNT + FIELD_INDEX.place] = same ? 0 : 5;
      levels[pair * FIELD_COUNT + FIELD_INDEX.lastName] = 0; // the rule blocked on last name
    }
    const skip = new Array<boolean>(FIELD_COUNT).fill(false);
    skip[FIELD_INDEX.lastName] = true;
    const start = defaultMatchModel();
    const model = estimateMProbabilities(start, levels, [{ pairs: Int32Array.from({ length: 200 }, (_, i) => i), skip }]);
    expect(model.fields.dateOfBirth[0].m).toBeGreaterThan(0.95);
    expect(model.fields.place[0].m).toBeGreaterThan(0.95);
    expect(model.fields.lastName).toEqual(start.fields.lastName);
    expect(estimatePriorMatchProbability(model, levels, 200)).toBeCloseTo(0.3, 2);
  });
});
