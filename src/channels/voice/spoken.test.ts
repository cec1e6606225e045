import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pluralRu, sayAmount, sayCardinal, sayData, sayDate, sayDigits, sayPhoneNumber, sayReference, sayWait } from './spoken.ts';

/** A row of a table: what is asked, the call, and what the caller must hear. */
type Row = readonly [name: string, say: () => string, heard: string];

const MSK = 'Europe/Moscow';

function table(title: string, rows: readonly Row[]): void {
  describe(title, () => {
    for (const [name, say, heard] of rows) test(name, () => assert.equal(say(), heard));
  });
}

table('Russian', [
  ['0', () => sayCardinal(0, 'ru'), 'ноль'],
  ['1 masculine, feminine, neuter', () => [sayCardinal(1, 'ru'), sayCardinal(1, 'ru', { gender: 'feminine' }), sayCardinal(1, 'ru', { gender: 'neuter' })].join('/'), 'один/одна/одно'],
  ['2 feminine', () => sayCardinal(2, 'ru', { gender: 'feminine' }), 'две'],
  ['11', () => sayCardinal(11, 'ru'), 'одиннадцать'],
  ['12–19', () => [12, 13, 14, 15, 16, 17, 18, 19].map((n) => sayCardinal(n, 'ru')).join(' '), 'двенадцать тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать'],
  ['21 feminine', () => sayCardinal(21, 'ru', { gender: 'feminine' }), 'двадцать одна'],
  ['21 feminine accusative', () => sayCardinal(21, 'ru', { gender: 'feminine', grammaticalCase: 'accusative' }), 'двадцать одну'],
  ['22 masculine accusative is the nominative', () => sayCardinal(22, 'ru', { grammaticalCase: 'accusative' }), 'двадцать два'],
  ['101', () => sayCardinal(101, 'ru'), 'сто один'],
  ['1000', () => sayCardinal(1000, 'ru'), 'одна тысяча'],
  ['1001', () => sayCardinal(1001, 'ru'), 'одна тысяча один'],
  ['2000', () => sayCardinal(2000, 'ru'), 'две тысячи'],
  ['5000', () => sayCardinal(5000, 'ru'), 'пять тысяч'],
  ['11 000 and 21 000', () => `${sayCardinal(11000, 'ru')}; ${sayCardinal(21000, 'ru')}`, 'одиннадцать тысяч; двадцать одна тысяча'],
  ['1 000 000', () => sayCardinal(1_000_000, 'ru'), 'один миллион'],
  ['2 000 000 and 5 000 000', () => `${sayCardinal(2_000_000, 'ru')}; ${sayCardinal(5_000_000, 'ru')}`, 'два миллиона; пять миллионов'],
  ['999 999 999', () => sayCardinal(999_999_999, 'ru'), 'девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч девятьсот девяносто девять'],
  ['genitive of hundreds, tens and units', () => sayCardinal(2342, 'ru', { grammaticalCase: 'genitive' }), 'двух тысяч трёхсот сорока двух'],
  ['genitive of 1000 and 21 000', () => `${sayCardinal(1000, 'ru', { grammaticalCase: 'genitive' })}; ${sayCardinal(21000, 'ru', { grammaticalCase: 'genitive' })}`, 'одной тысячи; двадцати одной тысячи'],
  ['genitive of 90, 100, 11, 0', () => [90, 100, 11, 0].map((n) => sayCardinal(n, 'ru', { grammaticalCase: 'genitive' })).join(' '), 'девяноста ста одиннадцати нуля'],
  ['plural forms', () => [1, 2, 4, 5, 11, 12, 14, 20, 21, 22, 25, 111, 112, 121].map((n) => pluralRu(n, ['рубль', 'рубля', 'рублей'])).join(' '), 'рубль рубля рубля рублей рублей рублей рублей рублей рубль рубля рублей рублей рублей рубль'],
  ['zero roubles', () => sayAmount(0, 'RUB', 'ru'), 'ноль рублей'],
  ['one kopeck', () => sayAmount(1, 'RUB', 'ru'), 'одна копейка'],
  ['two kopecks', () => sayAmount(2, 'RUB', 'ru'), 'две копейки'],
  ['five kopecks', () => sayAmount(5, 'RUB', 'ru'), 'пять копеек'],
  ['21 kopecks', () => sayAmount(21, 'RUB', 'ru'), 'двадцать одна копейка'],
  ['11 kopecks', () => sayAmount(11, 'RUB', 'ru'), 'одиннадцать копеек'],
  ['123.45 roubles', () => sayAmount(12345, 'RUB', 'ru'), 'сто двадцать три рубля сорок пять копеек'],
  ['123.45 roubles in the genitive', () => sayAmount(12345, 'RUB', 'ru', { grammaticalCase: 'genitive' }), 'ста двадцати трёх рублей сорока пяти копеек'],
  ['1.01 roubles', () => sayAmount(101, 'RUB', 'ru'), 'один рубль одна копейка'],
  ['1.01 roubles in the genitive', () => sayAmount(101, 'RUB', 'ru', { grammaticalCase: 'genitive' }), 'одного рубля одной копейки'],
  ['21.21 roubles in the accusative', () => sayAmount(2121, 'RUB', 'ru', { grammaticalCase: 'accusative' }), 'двадцать один рубль двадцать одну копейку'],
  ['11, 14 and 5 roubles', () => [1100, 1400, 500].map((m) => sayAmount(m, 'RUB', 'ru')).join('; '), 'одиннадцать рублей; четырнадцать рублей; пять рублей'],
  ['1000 roubles', () => sayAmount(100_000, 'RUB', 'ru'), 'одна тысяча рублей'],
  ['21 221 roubles in the genitive', () => sayAmount(2_122_100, 'RUB', 'ru', { grammaticalCase: 'genitive' }), 'двадцати одной тысячи двухсот двадцати одного рубля'],
  ['1 000 000 roubles', () => sayAmount(100_000_000, 'RUB', 'ru'), 'один миллион рублей'],
  ['a debt', () => sayAmount(-5000, 'RUB', 'ru'), 'минус пятьдесят рублей'],
  ['euros and cents', () => sayAmount(2101, 'EUR', 'ru'), 'двадцать один евро один цент'],
  ['dollars in the genitive', () => sayAmount(200, 'USD', 'ru', { grammaticalCase: 'genitive' }), 'двух долларов'],
  ['yuan', () => sayAmount(500, 'CNY', 'ru'), 'пять юаней'],
  ['first of December 2026', () => sayDate('2026-12-01', 'ru', MSK), 'первое декабря две тысячи двадцать шестого года'],
  ['until the first of December (genitive)', () => sayDate('2026-12-01', 'ru', MSK, { grammaticalCase: 'genitive' }), 'первого декабря две тысячи двадцать шестого года'],
  ['on the second of January (accusative)', () => sayDate('2026-01-02', 'ru', MSK, { grammaticalCase: 'accusative' }), 'второе января две тысячи двадцать шестого года'],
  ['third, year 2000', () => sayDate('2000-03-03', 'ru', MSK), 'третье марта двухтысячного года'],
  ['third in the genitive, 2005', () => sayDate('2005-04-03', 'ru', MSK, { grammaticalCase: 'genitive' }), 'третьего апреля две тысячи пятого года'],
  ['twenty-first, 2009', () => sayDate('2009-05-21', 'ru', MSK), 'двадцать первое мая две тысячи девятого года'],
  ['thirty-first, 2001', () => sayDate('2001-07-31', 'ru', MSK, { grammaticalCase: 'genitive' }), 'тридцать первого июля две тысячи первого года'],
  ['the 1990s and 2010', () => `${sayDate('1999-08-10', 'ru', MSK)}; ${sayDate('2010-09-20', 'ru', MSK)}`, 'десятое августа тысяча девятьсот девяносто девятого года; двадцатое сентября две тысячи десятого года'],
  ['an instant is read in the time zone', () => sayDate('2026-11-30T21:30:00.000Z', 'ru', MSK), 'первое декабря две тысячи двадцать шестого года'],
  ['each month, without the year', () => Array.from({ length: 12 }, (_, i) => sayDate(`2026-${String(i + 1).padStart(2, '0')}-04`, 'ru', MSK, { withYear: false })).join(', '),
    'четвёртое января, четвёртое февраля, четвёртое марта, четвёртое апреля, четвёртое мая, четвёртое июня, четвёртое июля, четвёртое августа, четвёртое сентября, четвёртое октября, четвёртое ноября, четвёртое декабря'],
  ['the real reference format', () => sayReference('TRM-7KQ2-9XW4', 'ru'), 'тэ, эр, эм, семь, ка, ку, два, девять, икс, дубль-вэ, четыре'],
  ['a reference with digit groups', () => sayReference('TRM-2026-000123', 'ru'), 'тэ, эр, эм, два ноль два шесть, ноль ноль ноль один два три'],
  ['a Russian mobile number', () => sayPhoneNumber('+79161234567', 'ru'), 'плюс семь, девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь'],
  ['leading zeros in groups', () => sayPhoneNumber('+79160450012', 'ru'), 'плюс семь, девятьсот шестнадцать, ноль сорок пять, ноль ноль, двенадцать'],
  ['a Chinese mobile number', () => sayPhoneNumber('+8613812345678', 'ru'), 'плюс восемьдесят шесть, сто тридцать восемь, двенадцать тридцать четыре, пятьдесят шесть семьдесят восемь'],
  ['a national number with 8', () => sayPhoneNumber('89161234567', 'ru'), 'восемь, девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь'],
  ['keypad digits', () => sayDigits('1234', 'ru'), 'один, два, три, четыре'],
  ['keypad star and hash', () => sayDigits('0*#', 'ru'), 'ноль, звёздочка, решётка'],
  ['under a minute', () => sayWait(40, 'ru'), 'меньше минуты'],
  ['a minute', () => sayWait(70, 'ru'), 'около минуты'],
  ['three minutes', () => sayWait(180, 'ru'), 'около трёх минут'],
  ['21 and 22 minutes', () => `${sayWait(21 * 60, 'ru')}; ${sayWait(22 * 60, 'ru')}`, 'около двадцати одной минуты; около двадцати двух минут'],
  ['an hour, an hour and a half, two hours', () => [3600, 5400, 7200].map((s) => sayWait(s, 'ru')).join('; '), 'около часа; около полутора часов; около двух часов'],
  ['megabytes', () => [0, 1, 2, 500].map((mb) => sayData(mb, 'ru')).join('; '), 'ноль мегабайт; один мегабайт; два мегабайта; пятьсот мегабайт'],
  ['gigabytes', () => [1024, 2048, 5120].map((mb) => sayData(mb, 'ru')).join('; '), 'один гигабайт; два гигабайта; пять гигабайт'],
  ['half gigabytes', () => [1536, 2560, 5632].map((mb) => sayData(mb, 'ru')).join('; '), 'полтора гигабайта; два с половиной гигабайта; пять с половиной гигабайт'],
  ['tenths of a gigabyte, rounded down', () => [1300, 22016].map((mb) => sayData(mb, 'ru')).join('; '), 'одна целая две десятых гигабайта; двадцать одна целая пять десятых гигабайта'],
]);

table('English', [
  ['0', () => sayCardinal(0, 'en'), 'zero'],
  ['11–19', () => [11, 12, 13, 14, 15, 16, 17, 18, 19].map((n) => sayCardinal(n, 'en')).join(' '), 'eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'],
  ['21 and 99 with hyphens', () => `${sayCardinal(21, 'en')}; ${sayCardinal(99, 'en')}`, 'twenty-one; ninety-nine'],
  ['40 and 90', () => `${sayCardinal(40, 'en')}; ${sayCardinal(90, 'en')}`, 'forty; ninety'],
  ['101', () => sayCardinal(101, 'en'), 'one hundred and one'],
  ['115', () => sayCardinal(115, 'en'), 'one hundred and fifteen'],
  ['1000', () => sayCardinal(1000, 'en'), 'one thousand'],
  ['1001', () => sayCardinal(1001, 'en'), 'one thousand and one'],
  ['1234', () => sayCardinal(1234, 'en'), 'one thousand two hundred and thirty-four'],
  ['2000', () => sayCardinal(2000, 'en'), 'two thousand'],
  ['10 020', () => sayCardinal(10_020, 'en'), 'ten thousand and twenty'],
  ['105 000', () => sayCardinal(105_000, 'en'), 'one hundred and five thousand'],
  ['1 000 000', () => sayCardinal(1_000_000, 'en'), 'one million'],
  ['1 000 005', () => sayCardinal(1_000_005, 'en'), 'one million and five'],
  ['999 999 999', () => sayCardinal(999_999_999, 'en'), 'nine hundred and ninety-nine million nine hundred and ninety-nine thousand nine hundred and ninety-nine'],
  ['zero roubles', () => sayAmount(0, 'RUB', 'en'), 'zero roubles'],
  ['kopecks 1, 2, 5, 21', () => [1, 2, 5, 21].map((m) => sayAmount(m, 'RUB', 'en')).join('; '), 'one kopeck; two kopecks; five kopecks; twenty-one kopecks'],
  ['123.45 roubles', () => sayAmount(12345, 'RUB', 'en'), 'one hundred and twenty-three roubles and forty-five kopecks'],
  ['one rouble', () => sayAmount(100, 'RUB', 'en'), 'one rouble'],
  ['the case is a Russian matter', () => sayAmount(12345, 'RUB', 'en', { grammaticalCase: 'genitive' }), 'one hundred and twenty-three roubles and forty-five kopecks'],
  ['euros, dollars, pounds, yuan', () => [sayAmount(101, 'EUR', 'en'), sayAmount(1999, 'USD', 'en'), sayAmount(250, 'GBP', 'en'), sayAmount(12345, 'CNY', 'en')].join('; '),
    'one euro and one cent; nineteen dollars and ninety-nine cents; two pounds and fifty pence; one hundred and twenty-three yuan and forty-five fen'],
  ['a debt', () => sayAmount(-1050, 'USD', 'en'), 'minus ten dollars and fifty cents'],
  ['a currency without words', () => sayAmount(12345, 'KWD', 'en'), 'twelve point three four five, K, W, D'],
  ['first of December 2026', () => sayDate('2026-12-01', 'en', MSK), 'the first of December, twenty twenty-six'],
  ['second, 2000', () => sayDate('2000-01-02', 'en', MSK), 'the second of January, two thousand'],
  ['third, 2005', () => sayDate('2005-03-03', 'en', MSK), 'the third of March, two thousand and five'],
  ['twenty-first, 2009', () => sayDate('2009-05-21', 'en', MSK), 'the twenty-first of May, two thousand and nine'],
  ['thirty-first, 2010', () => sayDate('2010-07-31', 'en', MSK), 'the thirty-first of July, twenty ten'],
  ['twentieth and thirtieth, 1999, 1905', () => `${sayDate('1999-06-20', 'en', MSK)}; ${sayDate('1905-06-30', 'en', MSK)}`, 'the twentieth of June, nineteen ninety-nine; the thirtieth of June, nineteen oh five'],
  ['an instant is read in the time zone', () => sayDate('2026-11-30T21:30:00.000Z', 'en', MSK), 'the first of December, twenty twenty-six'],
  ['the same instant in London', () => sayDate('2026-11-30T21:30:00.000Z', 'en', 'Europe/London'), 'the thirtieth of November, twenty twenty-six'],
  ['each month, without the year', () => Array.from({ length: 12 }, (_, i) => sayDate(`2026-${String(i + 1).padStart(2, '0')}-12`, 'en', MSK, { withYear: false })).join('; '),
    'the twelfth of January; the twelfth of February; the twelfth of March; the twelfth of April; the twelfth of May; the twelfth of June; the twelfth of July; the twelfth of August; the twelfth of September; the twelfth of October; the twelfth of November; the twelfth of December'],
  ['the real reference format', () => sayReference('TRM-7KQ2-9XW4', 'en'), 'T, R, M, seven, K, Q, two, nine, X, W, four'],
  ['a reference with digit groups', () => sayReference('TRM-2026-000123', 'en'), 'T, R, M, two zero two six, zero zero zero one two three'],
  ['a Russian mobile number', () => sayPhoneNumber('+79161234567', 'en'), 'plus seven, nine one six, one two three, four five, six seven'],
  ['a British mobile number', () => sayPhoneNumber('+447911123456', 'en'), 'plus four four, seven nine one one, one two three, four five six'],
  ['a North American number', () => sayPhoneNumber('+12025550123', 'en'), 'plus one, two zero two, five five five, zero one two three'],
  ['keypad digits', () => sayDigits('1234#', 'en'), 'one, two, three, four, hash'],
  ['waits', () => [30, 60, 180, 3600, 5400, 7200].map((s) => sayWait(s, 'en')).join('; '), 'less than a minute; about a minute; about three minutes; about an hour; about an hour and a half; about two hours'],
  ['data', () => [0, 1, 500, 1024, 2560, 5120].map((mb) => sayData(mb, 'en')).join('; '), 'zero megabytes; one megabyte; five hundred megabytes; one gigabyte; two point five gigabytes; five gigabytes'],
]);

table('Chinese', [
  ['0', () => sayCardinal(0, 'zh'), '零'],
  ['10 and 11–19 without 一', () => [10, 11, 15, 19].map((n) => sayCardinal(n, 'zh')).join(' '), '十 十一 十五 十九'],
  ['21', () => sayCardinal(21, 'zh'), '二十一'],
  ['101', () => sayCardinal(101, 'zh'), '一百零一'],
  ['115 keeps 一十 inside', () => sayCardinal(115, 'zh'), '一百一十五'],
  ['1000', () => sayCardinal(1000, 'zh'), '一千'],
  ['1001 and 1005', () => `${sayCardinal(1001, 'zh')} ${sayCardinal(1005, 'zh')}`, '一千零一 一千零五'],
  ['1015', () => sayCardinal(1015, 'zh'), '一千零一十五'],
  ['2000', () => sayCardinal(2000, 'zh'), '二千'],
  ['10 020', () => sayCardinal(10_020, 'zh'), '一万零二十'],
  ['100 000 and 110 000', () => `${sayCardinal(100_000, 'zh')} ${sayCardinal(110_000, 'zh')}`, '十万 十一万'],
  ['101 000', () => sayCardinal(101_000, 'zh'), '十万一千'],
  ['1 000 000', () => sayCardinal(1_000_000, 'zh'), '一百万'],
  ['1 000 005', () => sayCardinal(1_000_005, 'zh'), '一百万零五'],
  ['100 000 005 and 100 500 000', () => `${sayCardinal(100_000_005, 'zh')} ${sayCardinal(100_500_000, 'zh')}`, '一亿零五 一亿零五十万'],
  ['123 456 789', () => sayCardinal(123_456_789, 'zh'), '一亿二千三百四十五万六千七百八十九'],
  ['zero yuan', () => sayAmount(0, 'CNY', 'zh'), '零元'],
  ['123.45 yuan', () => sayAmount(12345, 'CNY', 'zh'), '一百二十三元四角五分'],
  ['a whole amount', () => sayAmount(12300, 'CNY', 'zh'), '一百二十三元'],
  ['0 jiao inside', () => sayAmount(10005, 'CNY', 'zh'), '一百元零五分'],
  ['jiao without fen', () => sayAmount(10050, 'CNY', 'zh'), '一百元五角'],
  ['fen 1, 2, 5, 21', () => [1, 2, 5, 21].map((m) => sayAmount(m, 'CNY', 'zh')).join(' '), '一分 二分 五分 二角一分'],
  ['two yuan with 二', () => sayAmount(200, 'CNY', 'zh'), '二元'],
  ['roubles', () => sayAmount(12345, 'RUB', 'zh'), '一百二十三卢布四十五戈比'],
  ['zero roubles, euros', () => `${sayAmount(0, 'RUB', 'zh')} ${sayAmount(101, 'EUR', 'zh')}`, '零卢布 一欧元一欧分'],
  ['a debt', () => sayAmount(-5000, 'CNY', 'zh'), '负五十元'],
  ['first of December 2026', () => sayDate('2026-12-01', 'zh', MSK), '二〇二六年十二月一日'],
  ['2000 and 2005', () => `${sayDate('2000-01-02', 'zh', MSK)} ${sayDate('2005-03-03', 'zh', MSK)}`, '二〇〇〇年一月二日 二〇〇五年三月三日'],
  ['21st and 31st, 2009', () => `${sayDate('2009-05-21', 'zh', MSK)} ${sayDate('2009-07-31', 'zh', MSK)}`, '二〇〇九年五月二十一日 二〇〇九年七月三十一日'],
  ['an instant in Shanghai', () => sayDate('2026-11-30T17:30:00.000Z', 'zh', 'Asia/Shanghai'), '二〇二六年十二月一日'],
  ['each month, without the year', () => Array.from({ length: 12 }, (_, i) => sayDate(`2026-${String(i + 1).padStart(2, '0')}-10`, 'zh', MSK, { withYear: false })).join(' '),
    '一月十日 二月十日 三月十日 四月十日 五月十日 六月十日 七月十日 八月十日 九月十日 十月十日 十一月十日 十二月十日'],
  ['the real reference format', () => sayReference('TRM-7KQ2-9XW4', 'zh'), 'T, R, M, 七, K, Q, 二, 九, X, W, 四'],
  ['a reference with digit groups', () => sayReference('TRM-2026-000123', 'zh'), 'T, R, M, 二零二六, 零零零幺二三'],
  ['a Chinese mobile number with 幺', () => sayPhoneNumber('+8613812345678', 'zh'), '加八六, 幺三八, 幺二三四, 五六七八'],
  ['a Russian mobile number', () => sayPhoneNumber('+79161234567', 'zh'), '加七, 九幺六, 幺二三, 四五, 六七'],
  ['keypad digits', () => sayDigits('1234*', 'zh'), '幺, 二, 三, 四, 星号'],
  ['waits with 两', () => [30, 120, 180, 3600, 5400, 7200].map((s) => sayWait(s, 'zh')).join(' '), '不到一分钟 大约两分钟 大约三分钟 大约一个小时 大约一个半小时 大约两个小时'],
  ['twelve minutes keeps 二', () => sayWait(12 * 60, 'zh'), '大约十二分钟'],
  ['data', () => [0, 500, 1024, 2048, 2560].map((mb) => sayData(mb, 'zh')).join(' '), '零MB 五百MB 一GB 两GB 二点五GB'],
]);

describe('input the hotline never sends', () => {
  test('a fraction or a huge number is refused, not misread', () => {
    assert.throws(() => sayCardinal(1.5, 'en'), RangeError);
    assert.throws(() => sayAmount(1e13, 'RUB', 'ru'), RangeError);
  });
  test('a date that is not one is refused', () => {
    assert.throws(() => sayDate('2026-13-01', 'ru', MSK), RangeError);
    assert.throws(() => sayDate('2026-02-30', 'zh', MSK), RangeError);
    assert.throws(() => sayDate('tomorrow', 'en', MSK), RangeError);
  });
});

describe('every number says words', () => {
  test('no gaps, doubled spaces or digits from 0 to 100 000 and on to 999 999 999 in steps', () => {
    for (const language of ['ru', 'en', 'zh'] as const) {
      for (let n = 0; n <= 999_999_999; n += n < 100_000 ? 1 : 99_991) {
        const words = [sayCardinal(n, language), sayCardinal(n, language, { gender: 'feminine', grammaticalCase: 'genitive' })];
        for (const said of words) assert.match(said, /^[^\s\d]+( [^\s\d]+)*$/u, `${language} ${n}: "${said}"`);
      }
    }
  });
  test('Chinese never doubles 零 nor ends in it', () => {
    for (let n = 1; n <= 200_000; n += n < 20_000 ? 1 : 7) assert.doesNotMatch(sayCardinal(n, 'zh'), /零零|零$|undefined/, String(n));
  });
});
