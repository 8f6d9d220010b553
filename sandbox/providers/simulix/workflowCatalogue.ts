// The published workflows the sandbox knows ("The 76 currently-published workflows are listed in the API
// reference"; the reference we have names only cdc_nhis_smoking, so these 33 are the sandbox's own). Each has the
// demographic dimensions its agents are drawn from, the questions asked every round, and how many rounds it runs.
// Answers lean along one demographic "driver" per question, so the summaries a client draws look plausible.

export interface Dimension {
  id: string;
  /** Levels in their natural order (drivers lean from the first towards the last) with population shares. */
  levels: ReadonlyArray<readonly [string, number]>;
}

export interface QuestionDriver {
  dimension: string;
  /** > 0: agents at the end of the dimension's order lean towards the question's later options; < 0 the other way. */
  strength: number;
}

export type Question =
  | { id: string; text: string; kind: 'choice'; options: ReadonlyArray<readonly [string, number]>; driver?: QuestionDriver }
  | { id: string; text: string; kind: 'scale'; min: number; max: number; mean: number; driver?: QuestionDriver };

export interface Workflow {
  id: string;
  title: string;
  population: string;
  demographics: readonly string[];
  rounds: number;
  questions: readonly Question[];
}

const dim = (id: string, levels: Record<string, number>): Dimension => ({ id, levels: Object.entries(levels) });

export const DIMENSIONS: Readonly<Record<string, Dimension>> = Object.fromEntries(
  [
    dim('age_group', { '18-24': 12, '25-34': 18, '35-44': 17, '45-54': 16, '55-64': 17, '65+': 20 }),
    dim('sex', { female: 51, male: 49 }),
    dim('region', { Northeast: 17, Midwest: 21, South: 38, West: 24 }),
    dim('education', { less_than_high_school: 10, high_school: 27, some_college: 28, bachelors: 22, graduate: 13 }),
    dim('income', { under_25k: 18, '25k_50k': 20, '50k_75k': 17, '75k_100k': 13, '100k_150k': 16, over_150k: 16 }),
    dim('urbanicity', { urban: 31, suburban: 55, rural: 14 }),
    dim('race_ethnicity', { white: 59, hispanic: 19, black: 13, asian: 6, other: 3 }),
    dim('insurance', { uninsured: 8, medicaid: 14, medicare: 18, private: 60 }),
    dim('employment', { unemployed: 4, student: 5, not_in_labor_force: 9, retired: 20, employed: 62 }),
    dim('grade', { '9th': 26, '10th': 25, '11th': 25, '12th': 24 }),
    dim('party_id', { democrat: 33, lean_democrat: 12, independent: 10, lean_republican: 13, republican: 32 }),
    dim('uk_nation', { England: 84, Scotland: 8, Wales: 5, Northern_Ireland: 3 }),
    dim('eu_country', { Germany: 19, France: 15, Italy: 13, Spain: 11, Poland: 8, Netherlands: 4, Other: 30 }),
    dim('household_size', { '1': 28, '2': 35, '3': 15, '4': 13, '5+': 9 }),
    dim('company_size', { '1-10': 30, '11-50': 28, '51-200': 20, '201-1000': 13, '1000+': 9 }),
  ].map((d) => [d.id, d]),
);

const choice = (id: string, text: string, options: Record<string, number>, driver?: [string, number]): Question => ({
  id,
  text,
  kind: 'choice',
  options: Object.entries(options),
  driver: driver && { dimension: driver[0], strength: driver[1] },
});
const scale = (id: string, text: string, min: number, max: number, mean: number, driver?: [string, number]): Question => ({
  id,
  text,
  kind: 'scale',
  min,
  max,
  mean,
  driver: driver && { dimension: driver[0], strength: driver[1] },
});
const US_ADULTS = ['age_group', 'sex', 'region', 'education', 'income'];
const yesNo = { yes: 1, no: 1 };

export const WORKFLOWS: readonly Workflow[] = [
  {
    id: 'cdc_nhis_smoking',
    title: 'CDC NHIS — cigarette smoking',
    population: 'US adults 18+',
    demographics: US_ADULTS,
    rounds: 2,
    questions: [
      choice('smoking_status', 'Do you now smoke cigarettes every day, some days, or not at all?', { every_day: 8, some_days: 3, former: 22, never: 67 }, ['education', 1.2]),
      choice('quit_attempt_past_year', 'During the past 12 months, have you stopped smoking for one day or longer because you were trying to quit?', { yes: 55, no: 45 }, ['age_group', 0.6]),
      choice('e_cigarette_use', 'Do you now use e-cigarettes every day, some days, or not at all?', { every_day: 3, some_days: 3, not_at_all: 94 }, ['age_group', 1.5]),
    ],
  },
  {
    id: 'cdc_nhis_alcohol',
    title: 'CDC NHIS — alcohol use',
    population: 'US adults 18+',
    demographics: US_ADULTS,
    rounds: 1,
    questions: [
      choice('drinking_frequency', 'In the past year, how often did you drink any type of alcoholic beverage?', { never: 30, monthly_or_less: 25, two_to_four_a_month: 20, two_to_three_a_week: 15, four_plus_a_week: 10 }, ['income', 0.8]),
      choice('binge_past_month', 'In the past 30 days, did you have 4 (women) or 5 (men) or more drinks on one occasion?', yesNo, ['age_group', 1.2]),
    ],
  },
  {
    id: 'cdc_nhis_physical_activity',
    title: 'CDC NHIS — leisure-time physical activity',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'urbanicity'],
    rounds: 2,
    questions: [
      choice('meets_aerobic_guideline', 'Do you get at least 150 minutes of moderate activity a week?', { no: 53, yes: 47 }, ['education', 1]),
      scale('active_days_per_week', 'On how many days last week were you physically active for 30 minutes or more?', 0, 7, 3.2, ['age_group', -0.8]),
    ],
  },
  {
    id: 'cdc_brfss_sleep',
    title: 'CDC BRFSS — sleep duration',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'employment'],
    rounds: 1,
    questions: [
      scale('sleep_hours', 'On average, how many hours of sleep do you get in a 24-hour period?', 3, 11, 7),
      choice('daytime_fatigue', 'How often do you feel tired during the day?', { never: 15, rarely: 30, sometimes: 35, often: 20 }, ['income', -0.7]),
    ],
  },
  {
    id: 'cdc_brfss_flu_vaccine',
    title: 'CDC BRFSS — seasonal influenza vaccination',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'insurance'],
    rounds: 2,
    questions: [
      choice('flu_shot_past_year', 'During the past 12 months, have you had a flu vaccine?', { no: 52, yes: 48 }, ['age_group', 1.8]),
      choice('vaccine_intent_next_season', 'How likely are you to get a flu vaccine next season?', { very_unlikely: 20, unlikely: 15, likely: 25, very_likely: 40 }, ['insurance', 1.2]),
    ],
  },
  {
    id: 'cdc_yrbs_vaping',
    title: 'CDC YRBS — youth vaping',
    population: 'US high-school students',
    demographics: ['grade', 'sex', 'region', 'urbanicity'],
    rounds: 3,
    questions: [
      choice('vaped_past_30_days', 'During the past 30 days, on how many days did you use an electronic vapor product?', { '0_days': 82, '1_5_days': 9, '6_19_days': 4, '20_plus_days': 5 }, ['grade', 1]),
      choice('perceived_harm', 'How much do people risk harming themselves if they vape regularly?', { no_risk: 8, slight_risk: 22, moderate_risk: 35, great_risk: 35 }, ['grade', -0.5]),
    ],
  },
  {
    id: 'nhanes_diet_fast_food',
    title: 'NHANES — fast food consumption',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'household_size'],
    rounds: 1,
    questions: [
      scale('fast_food_meals_per_week', 'How many meals did you get from a fast-food or pizza place in the past 7 days?', 0, 14, 2.1, ['age_group', -1]),
      choice('reads_nutrition_labels', 'How often do you use the Nutrition Facts panel when deciding to buy a food?', { never: 22, rarely: 20, sometimes: 30, often: 18, always: 10 }, ['education', 1]),
    ],
  },
  {
    id: 'kff_health_costs_worry',
    title: 'KFF — worry about health care costs',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'insurance'],
    rounds: 2,
    questions: [
      choice('worry_unexpected_bills', 'How worried are you about being able to afford unexpected medical bills?', { not_at_all: 15, not_too: 20, somewhat: 30, very: 35 }, ['income', -1.5]),
      choice('skipped_care_due_to_cost', 'In the past 12 months, have you skipped or postponed care because of the cost?', { no: 72, yes: 28 }, ['insurance', -1.2]),
    ],
  },
  {
    id: 'healthcare_telehealth_satisfaction',
    title: 'Telehealth visit satisfaction',
    population: 'US adults with a visit in the past year',
    demographics: ['age_group', 'sex', 'urbanicity', 'insurance'],
    rounds: 1,
    questions: [
      choice('used_telehealth', 'Did you have a video or phone visit with a clinician in the past 12 months?', { no: 60, yes: 40 }, ['age_group', -0.8]),
      scale('satisfaction', 'How satisfied were you with your most recent telehealth visit (1–5)?', 1, 5, 4.1),
      choice('prefer_next_visit', 'For your next routine visit, which would you prefer?', { in_person: 55, no_preference: 20, telehealth: 25 }, ['urbanicity', 0.9]),
    ],
  },
  {
    id: 'who_hand_hygiene',
    title: 'Hand hygiene habits',
    population: 'Adults 18+',
    demographics: ['age_group', 'sex', 'education', 'urbanicity'],
    rounds: 2,
    questions: [
      choice('washes_after_toilet', 'How often do you wash your hands with soap after using the toilet?', { rarely: 5, sometimes: 12, usually: 28, always: 55 }, ['sex', -0.6]),
      scale('hand_washes_per_day', 'About how many times a day do you wash your hands?', 0, 20, 7),
    ],
  },
  {
    id: 'gallup_trust_media',
    title: 'Gallup — trust in mass media',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'party_id'],
    rounds: 3,
    questions: [
      choice('trust_in_media', 'How much trust and confidence do you have in the mass media to report the news fully, accurately and fairly?', { great_deal: 9, fair_amount: 23, not_very_much: 29, none_at_all: 39 }, ['party_id', 2]),
      choice('main_news_source', 'Where do you get most of your news?', { television: 33, news_websites: 26, social_media: 21, radio: 8, print: 5, podcasts: 7 }, ['age_group', -1.4]),
    ],
  },
  {
    id: 'pew_news_consumption',
    title: 'Pew — news consumption habits',
    population: 'US adults 18+',
    demographics: US_ADULTS,
    rounds: 1,
    questions: [
      choice('follows_news', 'How closely do you follow the news?', { not_at_all: 8, not_too: 22, somewhat: 40, very: 30 }, ['age_group', 1.1]),
      choice('pays_for_news', 'In the past year, have you paid for news from any source?', { no: 79, yes: 21 }, ['income', 1.3]),
    ],
  },
  {
    id: 'pew_social_media_use',
    title: 'Pew — social media use',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'urbanicity'],
    rounds: 2,
    questions: [
      choice('most_used_platform', 'Which social media platform do you use most?', { tiktok: 17, instagram: 20, youtube: 22, facebook: 30, none: 11 }, ['age_group', 2]),
      scale('hours_per_day', 'About how many hours a day do you spend on social media?', 0, 10, 2.3, ['age_group', -1.4]),
      choice('wants_less_use', 'Would you like to spend less time on social media?', { no: 45, yes: 55 }),
    ],
  },
  {
    id: 'pew_climate_concern',
    title: 'Pew — climate change concern',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'party_id'],
    rounds: 3,
    questions: [
      choice('climate_threat', 'Is climate change a major threat, a minor threat, or not a threat to the well-being of the country?', { major_threat: 54, minor_threat: 23, not_a_threat: 23 }, ['party_id', 2.2]),
      choice('personal_action', 'How much are you doing in your own life to reduce the effects of climate change?', { nothing: 18, a_little: 37, some: 33, a_lot: 12 }, ['age_group', -0.4]),
    ],
  },
  {
    id: 'gss_confidence_science',
    title: 'GSS — confidence in the scientific community',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'party_id'],
    rounds: 2,
    questions: [
      choice('confidence_science', 'How much confidence do you have in the people running the scientific community?', { hardly_any: 12, only_some: 48, great_deal: 40 }, ['education', 1.2]),
      choice('science_benefits', 'Do the benefits of scientific research outweigh the harmful results?', { harms_outweigh: 10, about_equal: 18, benefits_outweigh: 72 }, ['education', 0.9]),
    ],
  },
  {
    id: 'gss_happiness',
    title: 'GSS — general happiness',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'employment'],
    rounds: 1,
    questions: [
      choice('general_happiness', 'Taken all together, would you say that you are very happy, pretty happy, or not too happy?', { not_too_happy: 19, pretty_happy: 56, very_happy: 25 }, ['income', 1]),
      choice('life_exciting', 'In general, do you find life exciting, pretty routine, or dull?', { dull: 5, routine: 45, exciting: 50 }, ['education', 0.6]),
    ],
  },
  {
    id: 'anes_vote_intention',
    title: 'ANES — vote intention and turnout',
    population: 'US citizens 18+',
    demographics: [...US_ADULTS, 'party_id', 'race_ethnicity'],
    rounds: 3,
    questions: [
      choice('likely_to_vote', 'How likely are you to vote in the next general election?', { will_not_vote: 12, unlikely: 10, likely: 23, certain: 55 }, ['age_group', 1.3]),
      choice('candidate_preference', 'If the election were held today, whom would you vote for?', { democratic_candidate: 46, undecided: 8, republican_candidate: 46 }, ['party_id', 3]),
    ],
  },
  {
    id: 'census_acs_commute',
    title: 'Census ACS — journey to work',
    population: 'US workers 16+',
    demographics: ['age_group', 'sex', 'region', 'urbanicity', 'income'],
    rounds: 1,
    questions: [
      choice('commute_mode', 'How did you usually get to work last week?', { drove_alone: 68, carpool: 8, public_transit: 5, walked: 2, bicycle: 1, worked_from_home: 16 }, ['urbanicity', -1.2]),
      scale('commute_minutes', 'How many minutes did it usually take to get from home to work?', 0, 120, 27, ['urbanicity', 0.3]),
    ],
  },
  {
    id: 'bls_remote_work',
    title: 'BLS — remote and hybrid work',
    population: 'US employed adults',
    demographics: ['age_group', 'sex', 'education', 'income', 'company_size'],
    rounds: 2,
    questions: [
      choice('work_arrangement', 'Where did you do most of your work last week?', { on_site: 62, hybrid: 24, fully_remote: 14 }, ['education', 1.6]),
      choice('prefers_remote', 'If you could choose, how would you work?', { on_site: 20, hybrid: 52, fully_remote: 28 }, ['age_group', -0.5]),
    ],
  },
  {
    id: 'fed_shed_emergency_savings',
    title: 'Federal Reserve SHED — emergency savings',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'household_size'],
    rounds: 2,
    questions: [
      choice('cover_400_expense', 'How would you pay for an unexpected $400 expense?', { could_not_pay: 13, borrow_or_sell: 24, credit_card_paid_off: 20, cash_or_equivalent: 43 }, ['income', 2.2]),
      choice('financial_wellbeing', 'Which best describes how well you are managing financially?', { finding_it_difficult: 10, just_getting_by: 23, doing_okay: 39, living_comfortably: 28 }, ['income', 2]),
    ],
  },
  {
    id: 'fintech_bnpl_usage',
    title: 'Buy now, pay later usage',
    population: 'US adults 18+',
    demographics: [...US_ADULTS, 'employment'],
    rounds: 1,
    questions: [
      choice('used_bnpl_past_year', 'Have you used a buy-now-pay-later service in the past 12 months?', { no: 72, yes: 28 }, ['age_group', -1.4]),
      choice('late_payment', 'Have you been late on a buy-now-pay-later payment?', { no: 82, yes: 18 }, ['income', -1.2]),
    ],
  },
  {
    id: 'nielsen_streaming_churn',
    title: 'Streaming subscription churn',
    population: 'US households with broadband',
    demographics: ['age_group', 'income', 'household_size', 'region'],
    rounds: 3,
    questions: [
      scale('paid_services', 'How many paid video streaming services does your household subscribe to?', 0, 8, 3.1, ['income', 0.9]),
      choice('cancel_intent_next_quarter', 'How likely are you to cancel at least one service in the next three months?', { very_unlikely: 30, unlikely: 30, likely: 25, very_likely: 15 }, ['income', -0.8]),
    ],
  },
  {
    id: 'consumer_ev_purchase_intent',
    title: 'Electric vehicle purchase intent',
    population: 'US adults planning a car purchase',
    demographics: ['age_group', 'income', 'urbanicity', 'region', 'party_id'],
    rounds: 3,
    questions: [
      choice('next_vehicle_type', 'What kind of vehicle is your next car most likely to be?', { gasoline: 48, hybrid: 27, plug_in_hybrid: 10, battery_electric: 15 }, ['party_id', -1.4]),
      choice('main_ev_concern', 'What is your main concern about electric vehicles?', { price: 34, charging_access: 30, range: 22, battery_life: 10, none: 4 }, ['urbanicity', 0.8]),
      scale('max_price_thousands', 'What is the most you would pay for your next car, in thousands of dollars?', 10, 90, 38, ['income', 1.8]),
    ],
  },
  {
    id: 'consumer_grocery_delivery',
    title: 'Online grocery delivery adoption',
    population: 'US primary grocery shoppers',
    demographics: ['age_group', 'sex', 'income', 'urbanicity', 'household_size'],
    rounds: 2,
    questions: [
      choice('ordered_online_past_month', 'Did you order groceries online for delivery or pickup in the past month?', { no: 58, yes: 42 }, ['age_group', -1.2]),
      choice('delivery_fee_acceptable', 'What is the most you would pay as a delivery fee?', { nothing: 35, under_3: 25, three_to_6: 28, over_6: 12 }, ['income', 1.4]),
    ],
  },
  {
    id: 'consumer_coffee_brand_loyalty',
    title: 'Coffee brand loyalty',
    population: 'US coffee drinkers',
    demographics: ['age_group', 'sex', 'income', 'region'],
    rounds: 2,
    questions: [
      choice('where_buys_coffee', 'Where do you get most of your coffee?', { brew_at_home: 55, chain_cafe: 25, independent_cafe: 12, office: 8 }, ['age_group', -0.9]),
      choice('switch_if_price_up_10pct', 'If your usual coffee cost 10 % more, would you switch?', { definitely_not: 25, probably_not: 35, probably: 28, definitely: 12 }, ['income', -1]),
    ],
  },
  {
    id: 'saas_pricing_sensitivity',
    title: 'B2B software pricing sensitivity',
    population: 'Software buyers at US companies',
    demographics: ['company_size', 'region', 'age_group'],
    rounds: 3,
    questions: [
      choice('reaction_to_20pct_increase', 'Your main tool raises its price by 20 %. What do you do?', { cancel: 12, evaluate_alternatives: 38, negotiate: 30, accept: 20 }, ['company_size', 1.2]),
      scale('willingness_to_pay_per_seat', 'What is a fair monthly price per seat, in dollars?', 5, 120, 32, ['company_size', 1.3]),
    ],
  },
  {
    id: 'housing_rent_burden',
    title: 'Rent burden and moving intent',
    population: 'US renters 18+',
    demographics: ['age_group', 'income', 'urbanicity', 'region', 'household_size'],
    rounds: 2,
    questions: [
      choice('rent_share_of_income', 'About what share of your income goes to rent?', { under_30pct: 50, '30_50pct': 28, over_50pct: 22 }, ['income', -2.2]),
      choice('plans_to_move', 'Do you plan to move in the next 12 months?', { no: 64, undecided: 14, yes: 22 }, ['age_group', -1.3]),
    ],
  },
  {
    id: 'energy_heat_pump_adoption',
    title: 'Home heat pump adoption',
    population: 'US homeowners',
    demographics: ['age_group', 'income', 'region', 'urbanicity'],
    rounds: 3,
    questions: [
      choice('heating_system', 'What is your main heating system?', { gas_furnace: 48, electric_resistance: 18, heat_pump: 15, oil_or_propane: 11, other: 8 }, ['region', 1]),
      choice('consider_heat_pump', 'Would you consider a heat pump when you next replace your system?', { no: 30, unsure: 35, yes: 35 }, ['income', 0.9]),
    ],
  },
  {
    id: 'transport_micromobility',
    title: 'E-scooter and bike-share use',
    population: 'US urban and suburban adults',
    demographics: ['age_group', 'sex', 'urbanicity', 'income'],
    rounds: 1,
    questions: [
      choice('used_shared_scooter', 'Have you used a shared e-scooter or bike in the past 3 months?', { no: 84, yes: 16 }, ['age_group', -1.8]),
      choice('feels_safe_riding', 'How safe do you feel riding on local streets?', { very_unsafe: 20, somewhat_unsafe: 35, somewhat_safe: 32, very_safe: 13 }, ['sex', 0.8]),
    ],
  },
  {
    id: 'education_student_loan_stress',
    title: 'Student loan stress',
    population: 'US adults 18–54 with student debt',
    demographics: ['age_group', 'education', 'income', 'employment'],
    rounds: 2,
    questions: [
      scale('stress_level', 'How stressed are you about your student loans (1–10)?', 1, 10, 6.4, ['income', -1.2]),
      choice('repayment_plan', 'Which repayment plan are you on?', { standard: 40, income_driven: 38, deferment_or_forbearance: 12, not_sure: 10 }, ['income', -1]),
    ],
  },
  {
    id: 'ons_uk_wellbeing',
    title: 'ONS — personal well-being (UK)',
    population: 'UK adults 16+',
    demographics: ['age_group', 'sex', 'uk_nation', 'employment'],
    rounds: 2,
    questions: [
      scale('life_satisfaction', 'Overall, how satisfied are you with your life nowadays (0–10)?', 0, 10, 7.4, ['employment', 0.8]),
      scale('anxiety_yesterday', 'Overall, how anxious did you feel yesterday (0–10)?', 0, 10, 3.2, ['age_group', -0.6]),
    ],
  },
  {
    id: 'eurobarometer_ai_attitudes',
    title: 'Eurobarometer — attitudes to artificial intelligence',
    population: 'EU residents 15+',
    demographics: ['age_group', 'sex', 'eu_country', 'education'],
    rounds: 3,
    questions: [
      choice('ai_positive_for_society', 'Is artificial intelligence positive or negative for society?', { very_negative: 8, fairly_negative: 20, fairly_positive: 50, very_positive: 22 }, ['age_group', -1]),
      choice('ai_needs_regulation', 'Should the use of AI be carefully managed by regulation?', { totally_disagree: 3, tend_to_disagree: 7, tend_to_agree: 40, totally_agree: 50 }, ['education', 0.6]),
    ],
  },
  {
    id: 'retail_loyalty_program',
    title: 'Retail loyalty program engagement',
    population: 'US adult shoppers',
    demographics: ['age_group', 'sex', 'income', 'household_size'],
    rounds: 1,
    questions: [
      scale('programs_joined', 'How many retail loyalty programs do you belong to?', 0, 15, 5.5, ['income', 0.8]),
      choice('most_valued_benefit', 'Which loyalty benefit do you value most?', { discounts: 45, free_shipping: 22, points: 20, early_access: 8, none: 5 }, ['age_group', -0.5]),
    ],
  },
];

export function findWorkflow(id: string): Workflow | undefined {
  return WORKFLOWS.find((w) => w.id === id);
}
