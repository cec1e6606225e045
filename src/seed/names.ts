export const RU_NAMES = {
  first: ['Анна', 'Мария', 'Елена', 'Ольга', 'Наталья', 'Иван', 'Дмитрий', 'Алексей', 'Сергей', 'Андрей', 'Екатерина', 'Михаил'],
  last: ['Иванова', 'Смирнова', 'Кузнецова', 'Попова', 'Соколова', 'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедева', 'Новиков'],
};
export const EN_NAMES = {
  first: ['Emily', 'James', 'Olivia', 'Liam', 'Sophie', 'Daniel', 'Grace', 'Thomas', 'Hannah', 'Samuel'],
  last: ['Smith', 'Brown', 'Taylor', 'Wilson', 'Evans', 'Walker', 'Wright', 'Hughes', 'Clarke', 'Turner'],
};
export const ZH_NAMES = {
  first: ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '杰'],
  last: ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'],
};
export const PLANS = [
  { name: 'Basic', fee: 35000, dataMb: 5_000 },
  { name: 'Smart', fee: 65000, dataMb: 20_000 },
  { name: 'Unlimited', fee: 120000, dataMb: 100_000 },
  { name: 'Travel', fee: 90000, dataMb: 30_000 },
] as const;
