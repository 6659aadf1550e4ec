<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk_UA" sourcelanguage="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../pos/ui/about.py" line="29"/>
        <source>About POS</source>
        <translation>Про програму POS</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="35"/>
        <source>Point of sale for Ukrainian shops. Every receipt is fiscalised through the Checkbox PRRO service, also when the shop is offline.</source>
        <translation>Каса для українських магазинів. Кожен чек фіскалізується через ПРРО Checkbox, навіть коли магазин без зв’язку.</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="42"/>
        <source>Version:</source>
        <translation>Версія:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="44"/>
        <source>Mode:</source>
        <translation>Режим:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="45"/>
        <source>training</source>
        <translation>навчальний</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="45"/>
        <source>real work</source>
        <translation>робочий</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="52"/>
        <source>System:</source>
        <translation>Система:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="54"/>
        <source>Data folder:</source>
        <translation>Тека даних:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="55"/>
        <source>Log folder:</source>
        <translation>Тека журналів роботи:</translation>
    </message>
    <message>
        <location filename="../pos/ui/about.py" line="61"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../pos/ui/first_screen.py" line="42"/>
        <source>Starting the register…</source>
        <translation>Запуск каси…</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <location filename="../pos/ui/cart_table.py" line="183"/>
        <source>Goods</source>
        <translation>Товар</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="184"/>
        <source>Price</source>
        <translation>Ціна</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="185"/>
        <source>Quantity</source>
        <translation>Кількість</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="186"/>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="187"/>
        <source>Sum</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_table.py" line="205"/>
        <source>Remove the line (Del)</source>
        <translation>Вилучити рядок (Del)</translation>
    </message>
</context>
<context>
    <name>CashCountWidget</name>
    <message>
        <location filename="../pos/ui/cash_count.py" line="40"/>
        <source>{amount} UAH</source>
        <translation>{amount} грн</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="43"/>
        <source>{amount} kop.</source>
        <translation>{amount} коп.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="95"/>
        <source>Banknotes</source>
        <translation>Банкноти</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="96"/>
        <source>Coins</source>
        <translation>Монети</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="104"/>
        <source>Type the count, or + / −; ↑ ↓ move between rows</source>
        <translation>Введіть кількість або + / −; ↑ ↓ — перехід між рядками</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_count.py" line="168"/>
        <source>Counted: {amount}</source>
        <translation>Пораховано: {amount}</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="49"/>
        <source>Cash in</source>
        <translation>Службове внесення</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="50"/>
        <source>Cash out</source>
        <translation>Службова видача</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="51"/>
        <source>Cash withdrawal</source>
        <translation>Видача готівки</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="80"/>
        <source>Reason, or type your own</source>
        <translation>Причина, або введіть свою</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="86"/>
        <source>Amount, UAH:</source>
        <translation>Сума, грн:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="89"/>
        <source>Card (printed):</source>
        <translation>Картка (у чеку):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="89"/>
        <source>Reason:</source>
        <translation>Причина:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="96"/>
        <source>Card number (masked):</source>
        <translation>Номер картки (маскований):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="97"/>
        <source>Authorisation code:</source>
        <translation>Код авторизації:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="98"/>
        <source>RRN:</source>
        <translation>RRN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="99"/>
        <source>Terminal ID:</source>
        <translation>Ідентифікатор терміналу:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="107"/>
        <source>Confirm</source>
        <translation>Підтвердити</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="108"/>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="124"/>
        <source>Change float</source>
        <translation>Розмінна монета</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="125"/>
        <source>Cash top-up</source>
        <translation>Поповнення каси</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="126"/>
        <location filename="../pos/ui/cash_ops.py" line="132"/>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="130"/>
        <source>Collection</source>
        <translation>Інкасація</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="131"/>
        <source>Handed to the owner</source>
        <translation>Видача власнику</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="134"/>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="147"/>
        <source>No shift is open.</source>
        <translation>Зміну не відкрито.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="150"/>
        <source>Cash in the drawer: {amount}</source>
        <translation>Готівка в касі: {amount}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="161"/>
        <source>Enter the amount, for example 150 or 150.50.</source>
        <translation>Введіть суму, наприклад 150 або 150.50.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="167"/>
        <source>At most two digits after the decimal point (kopecks).</source>
        <translation>Не більше двох цифр після коми (копійки).</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="169"/>
        <source>That amount is too large.</source>
        <translation>Сума завелика.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="171"/>
        <source>“{text}” is not an amount. Type digits, for example 150.50.</source>
        <translation>«{text}» — не сума. Введіть цифри, наприклад 150.50.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="176"/>
        <source>The amount must be more than zero.</source>
        <translation>Сума має бути більшою за нуль.</translation>
    </message>
    <message>
        <location filename="../pos/ui/cash_ops.py" line="207"/>
        <source>Sending to the register…</source>
        <translation>Передаємо в касу…</translation>
    </message>
</context>
<context>
    <name>CategoryPanel</name>
    <message>
        <location filename="../pos/ui/categories.py" line="69"/>
        <source>← All categories</source>
        <translation>← Усі категорії</translation>
    </message>
    <message>
        <location filename="../pos/ui/categories.py" line="71"/>
        <location filename="../pos/ui/categories.py" line="122"/>
        <source>Categories</source>
        <translation>Категорії</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="265"/>
        <location filename="../pos/ui/cart_dialogs.py" line="266"/>
        <source>Discount or extra charge</source>
        <translation>Знижка або надбавка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="267"/>
        <source>Apply to:</source>
        <translation>Застосувати до:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="269"/>
        <source>Line: {name}</source>
        <translation>Рядка: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="271"/>
        <source>Line</source>
        <translation>Рядка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="273"/>
        <source>Whole receipt</source>
        <translation>Усього чека</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="274"/>
        <source>Kind:</source>
        <translation>Вид:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="275"/>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="276"/>
        <source>Extra charge</source>
        <translation>Надбавка</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="277"/>
        <source>As:</source>
        <translation>Як:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="278"/>
        <source>Percent, %</source>
        <translation>Відсоток, %</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="279"/>
        <source>Sum, UAH</source>
        <translation>Сума, грн</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="280"/>
        <source>Value:</source>
        <translation>Значення:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="281"/>
        <source>Name (optional):</source>
        <translation>Назва (необов&apos;язково):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="283"/>
        <source>Apply (Enter)</source>
        <translation>Застосувати (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="284"/>
        <source>Remove discount</source>
        <translation>Прибрати знижку</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="285"/>
        <source>Cancel (Esc)</source>
        <translation>Скасувати (Esc)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="290"/>
        <source>line: {d}</source>
        <translation>рядок: {d}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="292"/>
        <source>receipt: {d}</source>
        <translation>чек: {d}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="293"/>
        <source>Now: {list}</source>
        <translation>Зараз: {list}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="316"/>
        <source>Type the value, e.g. 10 or 12.50.</source>
        <translation>Введіть значення, напр. 10 або 12.50.</translation>
    </message>
</context>
<context>
    <name>Drill</name>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="31"/>
        <source>No fault</source>
        <translation>Без збою</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="32"/>
        <source>Maintenance work (503)</source>
        <translation>Технічні роботи (503)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="33"/>
        <source>Temporarily unavailable (503)</source>
        <translation>Тимчасово недоступний (503)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="34"/>
        <source>Next answer lost (524)</source>
        <translation>Наступна відповідь втрачена (524)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="35"/>
        <source>Cashier&apos;s signature not running</source>
        <translation>Підпис касира не запущено</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="38"/>
        <source>Cashier blocked (403)</source>
        <translation>Касира заблоковано (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="39"/>
        <source>Cashier&apos;s key expired (403)</source>
        <translation>Термін дії ключа касира закінчився (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="40"/>
        <source>Register blocked (403)</source>
        <translation>Касу заблоковано (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="41"/>
        <source>Checkbox invoice unpaid (403)</source>
        <translation>Рахунок Checkbox не оплачено (403)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="42"/>
        <source>Shift opened by another program (409)</source>
        <translation>Зміну відкрито іншою програмою (409)</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="45"/>
        <source>Unfinished transactions at the Z-report</source>
        <translation>Неопрацьовані транзакції під час Z-звіту</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="48"/>
        <source>Next receipt refused by the tax service</source>
        <translation>Наступний чек відхилено ДПС</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="51"/>
        <source>Next shift open refused</source>
        <translation>Наступне відкриття зміни відхилено</translation>
    </message>
    <message>
        <location filename="../pos/ui/drill_faults.py" line="52"/>
        <source>Going online takes several calls and minutes</source>
        <translation>Перехід в онлайн потребує кількох запитів і хвилин</translation>
    </message>
</context>
<context>
    <name>GoodsEditorDialog</name>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="66"/>
        <source>Goods</source>
        <translation>Товари</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="71"/>
        <source>Name, code or barcode</source>
        <translation>Назва, код або штрихкод</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="73"/>
        <source>Find</source>
        <translation>Знайти</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="74"/>
        <location filename="../pos/ui/goods_editor.py" line="182"/>
        <source>New good</source>
        <translation>Новий товар</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="134"/>
        <source>Save</source>
        <translation>Зберегти</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="135"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="164"/>
        <source>Code:</source>
        <translation>Код:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="165"/>
        <source>Name:</source>
        <translation>Назва:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="166"/>
        <source>Price, UAH:</source>
        <translation>Ціна, грн:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="167"/>
        <source>Barcodes (space between):</source>
        <translation>Штрихкоди (через пробіл):</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="168"/>
        <source>Tax letters:</source>
        <translation>Літери податків:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="169"/>
        <source>Unit:</source>
        <translation>Одиниця:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="170"/>
        <source>Category:</source>
        <translation>Категорія:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="171"/>
        <source>Weighed:</source>
        <translation>Ваговий:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="172"/>
        <source>Excise:</source>
        <translation>Акцизний:</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="176"/>
        <source>sold by weight</source>
        <translation>продається на вагу</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="177"/>
        <source>excise good</source>
        <translation>акцизний товар</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="184"/>
        <source>Good {code}</source>
        <translation>Товар {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="213"/>
        <source>Nothing found for “{text}”</source>
        <translation>Нічого не знайдено за «{text}»</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="302"/>
        <source>Saving…</source>
        <translation>Зберігаю…</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="342"/>
        <source>Saved: {name}</source>
        <translation>Збережено: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/goods_editor.py" line="353"/>
        <source>Not saved: correct what is marked.</source>
        <translation>Не збережено: виправте позначене.</translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <location filename="../pos/ui/history_window.py" line="599"/>
        <source>Service cash out and withdrawals</source>
        <translation>Службова видача і видача готівки</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="610"/>
        <source>Sales receipts</source>
        <translation>Чеків продажу</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="611"/>
        <source>Return receipts</source>
        <translation>Чеків повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="612"/>
        <source>Discounts</source>
        <translation>Знижки</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="613"/>
        <source>Opening float</source>
        <translation>Розмінна монета на початок</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="265"/>
        <source>Receipts of this shift</source>
        <translation>Чеки цієї зміни</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="265"/>
        <source>Reports</source>
        <translation>Звіти</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="267"/>
        <source>Sou&amp;rce:</source>
        <translation>&amp;Джерело:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="268"/>
        <source>&amp;Period:</source>
        <translation>&amp;Період:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="269"/>
        <source>From:</source>
        <translation>З:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="270"/>
        <source>To:</source>
        <translation>По:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="271"/>
        <source>&amp;Type:</source>
        <translation>&amp;Тип:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="272"/>
        <source>Pa&amp;yment:</source>
        <translation>О&amp;плата:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="273"/>
        <source>S&amp;hift:</source>
        <translation>З&amp;міна:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="274"/>
        <source>&amp;Search:</source>
        <translation>По&amp;шук:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="275"/>
        <source>&amp;Cashier:</source>
        <translation>&amp;Касир:</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="280"/>
        <source>Today</source>
        <translation>Сьогодні</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="281"/>
        <source>Yesterday</source>
        <translation>Вчора</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="282"/>
        <source>This week</source>
        <translation>Цей тиждень</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="283"/>
        <source>This month</source>
        <translation>Цей місяць</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="284"/>
        <source>Custom</source>
        <translation>Довільний</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="289"/>
        <source>This register</source>
        <translation>Ця каса</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="289"/>
        <source>The whole shop</source>
        <translation>Увесь магазин</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="294"/>
        <source>All documents</source>
        <translation>Усі документи</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="295"/>
        <location filename="../pos/ui/history_window.py" line="349"/>
        <location filename="../pos/ui/history_window.py" line="363"/>
        <location filename="../pos/ui/history_window.py" line="596"/>
        <source>Sales</source>
        <translation>Продажі</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="296"/>
        <location filename="../pos/ui/history_window.py" line="350"/>
        <location filename="../pos/ui/history_window.py" line="364"/>
        <location filename="../pos/ui/history_window.py" line="597"/>
        <source>Returns</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="297"/>
        <location filename="../pos/ui/history_window.py" line="598"/>
        <source>Service cash in</source>
        <translation>Службове внесення</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="298"/>
        <source>Service cash out</source>
        <translation>Службова видача</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="299"/>
        <source>Cash withdrawals</source>
        <translation>Видача готівки</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="300"/>
        <source>Shift open/close</source>
        <translation>Відкриття/закриття змін</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="305"/>
        <source>Any payment</source>
        <translation>Будь-яка оплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="305"/>
        <location filename="../pos/ui/history_window.py" line="318"/>
        <location filename="../pos/ui/history_window.py" line="643"/>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="305"/>
        <location filename="../pos/ui/history_window.py" line="319"/>
        <location filename="../pos/ui/history_window.py" line="643"/>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="307"/>
        <source>fiscal code or document number (Ctrl+F)</source>
        <translation>фіскальний номер або номер документа (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="308"/>
        <source>all</source>
        <translation>усі</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="309"/>
        <source>any cashier</source>
        <translation>будь-який касир</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="311"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="312"/>
        <location filename="../pos/ui/history_window.py" line="345"/>
        <source>Shift</source>
        <translation>Зміна</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="313"/>
        <source>No. in shift</source>
        <translation>№ у зміні</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="314"/>
        <source>Doc. no.</source>
        <translation>№ док.</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="315"/>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="316"/>
        <source>Operation</source>
        <translation>Операція</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="317"/>
        <source>Total</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="320"/>
        <source>Prepaid</source>
        <translation>Передоплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="321"/>
        <source>Fiscal code</source>
        <translation>Фіскальний номер</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="322"/>
        <source>Cashier</source>
        <translation>Касир</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="323"/>
        <source>Upload</source>
        <translation>Відправлення</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="326"/>
        <source>sale</source>
        <translation>продаж</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="327"/>
        <source>return</source>
        <translation>повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="331"/>
        <source>online</source>
        <translation>онлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="332"/>
        <source>offline, not sent</source>
        <translation>офлайн, не відправлено</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="333"/>
        <source>offline, sent</source>
        <translation>офлайн, відправлено</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="335"/>
        <location filename="../pos/ui/history_window.py" line="665"/>
        <source>Receipts</source>
        <translation>Чеки</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="336"/>
        <source>Shifts</source>
        <translation>Зміни</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="337"/>
        <source>Charts</source>
        <translation>Графіки</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="338"/>
        <source>Open receipt</source>
        <translation>Відкрити чек</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="339"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="340"/>
        <source>XLSX</source>
        <translation>XLSX</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="341"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="342"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="346"/>
        <source>Opened</source>
        <translation>Відкрито</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="347"/>
        <source>Closed</source>
        <translation>Закрито</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="348"/>
        <source>Report</source>
        <translation>Звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="351"/>
        <location filename="../pos/ui/history_window.py" line="614"/>
        <source>Expected cash</source>
        <translation>Очікувана готівка</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="352"/>
        <location filename="../pos/ui/history_window.py" line="617"/>
        <source>Counted</source>
        <translation>Пораховано</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="353"/>
        <location filename="../pos/ui/history_window.py" line="618"/>
        <source>Difference</source>
        <translation>Різниця</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="358"/>
        <source>Sales by day</source>
        <translation>Продажі по днях</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="359"/>
        <source>Sales by hour</source>
        <translation>Продажі по годинах</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="360"/>
        <source>Payment mix</source>
        <translation>Способи оплати</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="361"/>
        <source>Top goods</source>
        <translation>Найкращі товари</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="424"/>
        <source>Counting…</source>
        <translation>Рахую…</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="447"/>
        <source>No documents in this period.</source>
        <translation>За цей період документів немає.</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="459"/>
        <source>{count} documents · sales {sales} · returns {returns} · cash {cash} · card {card}</source>
        <translation>{count} документів · продажі {sales} · повернення {returns} · готівка {cash} · картка {card}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="469"/>
        <source> · advances set off {prepaid}</source>
        <translation> · зараховано передоплат {prepaid}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="473"/>
        <source>The journal could not be read: {error}</source>
        <translation>Не вдалося прочитати журнал: {error}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="507"/>
        <source>Lines</source>
        <translation>Товари</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="507"/>
        <source>Payments</source>
        <translation>Оплати</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="511"/>
        <source>Change: {sum}</source>
        <translation>Решта: {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="513"/>
        <source>Enter or F2: the receipt with its QR, to reprint or save as PDF</source>
        <translation>Enter або F2: чек з QR-кодом, щоб надрукувати копію або зберегти PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="530"/>
        <source>Order {number}: its receipts print from the order screen (Shift+F6).</source>
        <translation>Замовлення {number}: його чеки друкуються з екрана замовлень (Shift+F6).</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="535"/>
        <source>Receipts open from the register&apos;s window.</source>
        <translation>Чеки відкриваються з вікна каси.</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="593"/>
        <source>Z-report</source>
        <translation>Z-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="593"/>
        <source>X-report</source>
        <translation>X-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="594"/>
        <source>{report} · shift {serial}</source>
        <translation>{report} · зміна {serial}</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="649"/>
        <source>Export</source>
        <translation>Експорт</translation>
    </message>
    <message>
        <location filename="../pos/ui/history_window.py" line="691"/>
        <source>Saved {count} rows to {path}</source>
        <translation>Збережено рядків: {count}, файл {path}</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="209"/>
        <source>Print {what}</source>
        <translation>Друк: {what}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="228"/>
        <source>Printing…</source>
        <translation>Друк…</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="232"/>
        <source>{what} was printed.</source>
        <translation>{what} — надруковано.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="239"/>
        <location filename="../pos/ui/receipt_dialog.py" line="256"/>
        <source>Printing failed: {reason}</source>
        <translation>Не вдалося надрукувати: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="263"/>
        <source>{what} sent to the printer {name}.</source>
        <translation>{what} — надіслано на принтер {name}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="276"/>
        <source>Save as PDF</source>
        <translation>Зберегти як PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="274"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="285"/>
        <source>Could not save the PDF: {reason}</source>
        <translation>Не вдалося зберегти PDF: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="292"/>
        <source>Saved to {path}</source>
        <translation>Збережено: {path}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../pos/ui/main_window.py" line="256"/>
        <source>TRAINING MODE — receipts are not fiscal</source>
        <translation>НАВЧАЛЬНИЙ РЕЖИМ — чеки не фіскальні</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="257"/>
        <source>POS — training</source>
        <translation>Каса — навчальний режим</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="257"/>
        <source>POS</source>
        <translation>Каса</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="53"/>
        <source>Help</source>
        <translation>Довідка</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="61"/>
        <source>Shift</source>
        <translation>Зміна</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="78"/>
        <source>Quantity</source>
        <translation>Кількість</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="85"/>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="92"/>
        <source>Remove</source>
        <translation>Вилучити</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="100"/>
        <source>Park</source>
        <translation>Відкласти</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="108"/>
        <source>Return</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="115"/>
        <source>Cash in/out</source>
        <translation>Внесення/винос</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="268"/>
        <location filename="../pos/ui/main_window.py" line="465"/>
        <location filename="../pos/ui/window_keys.py" line="122"/>
        <source>X-report</source>
        <translation>X-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="130"/>
        <source>Z-report</source>
        <translation>Z-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="177"/>
        <source>PAY</source>
        <translation>ОПЛАТА</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="261"/>
        <source>&amp;Register</source>
        <translation>&amp;Каса</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="262"/>
        <source>Shift…</source>
        <translation>Зміна…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="263"/>
        <location filename="../pos/ui/main_window.py" line="470"/>
        <source>Return…</source>
        <translation>Повернення…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="264"/>
        <source>Customer orders…</source>
        <translation>Замовлення покупців…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="265"/>
        <source>Cash in…</source>
        <translation>Службове внесення…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="266"/>
        <source>Cash out…</source>
        <translation>Службова видача…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="267"/>
        <location filename="../pos/ui/main_window.py" line="484"/>
        <source>Cash withdrawal by card…</source>
        <translation>Видача готівки з картки…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="269"/>
        <location filename="../pos/ui/main_window.py" line="467"/>
        <source>Z-report (close the shift)</source>
        <translation>Z-звіт (закрити зміну)</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="270"/>
        <source>Reprint the last receipt</source>
        <translation>Надрукувати останній чек ще раз</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="271"/>
        <location filename="../pos/ui/main_window.py" line="472"/>
        <source>Sign out</source>
        <translation>Вийти</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="272"/>
        <location filename="../pos/ui/main_window.py" line="806"/>
        <source>Quit</source>
        <translation>Завершити роботу</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="273"/>
        <source>&amp;Manager</source>
        <translation>&amp;Менеджер</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="274"/>
        <location filename="../pos/ui/main_window.py" line="654"/>
        <source>Work offline</source>
        <translation>Працювати офлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="275"/>
        <source>Open the cash drawer…</source>
        <translation>Відкрити грошову скриньку…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="276"/>
        <source>Settings…</source>
        <translation>Налаштування…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="278"/>
        <source>Reports…</source>
        <translation>Звіти…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="279"/>
        <source>Receipts of this shift…</source>
        <translation>Чеки цієї зміни…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="351"/>
        <source>The shift is being closed: the register is waiting for Checkbox to confirm the Z-report.</source>
        <translation>Зміна закривається: каса чекає, поки Checkbox підтвердить Z-звіт.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="700"/>
        <source>Goods</source>
        <translation>Товари</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="724"/>
        <source>&amp;Training drill</source>
        <translation>&amp;Навчання: збої</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="282"/>
        <source>Tax service down</source>
        <translation>Податкова недоступна</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="277"/>
        <source>Goods…</source>
        <translation>Товари…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="283"/>
        <source>Tax service up</source>
        <translation>Податкова знову працює</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="284"/>
        <source>Network cut</source>
        <translation>Обірвати мережу</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="285"/>
        <source>Network restore</source>
        <translation>Відновити мережу</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="286"/>
        <source>Checkbox fault</source>
        <translation>Збій Checkbox</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="289"/>
        <source>&amp;Language</source>
        <translation>&amp;Мова</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="290"/>
        <source>&amp;Help</source>
        <translation>&amp;Довідка</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="291"/>
        <location filename="../pos/ui/main_window.py" line="450"/>
        <source>Keys</source>
        <translation>Клавіші</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="292"/>
        <source>Export diagnostics…</source>
        <translation>Зберегти діагностику…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="293"/>
        <source>About POS</source>
        <translation>Про програму POS</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="52"/>
        <source>F1 — this help</source>
        <translation>F1 — ця довідка</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="60"/>
        <source>F2 — open the shift / shift menu</source>
        <translation>F2 — відкрити зміну / меню зміни</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="70"/>
        <source>F3 — search (scan or type a name, code or barcode)</source>
        <translation>F3 — пошук (скануйте або введіть назву, код чи штрихкод)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="77"/>
        <source>F4 — quantity or weight of the selected line</source>
        <translation>F4 — кількість або вага вибраного рядка</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="84"/>
        <source>F5 — discount or extra charge (manager&apos;s PIN)</source>
        <translation>F5 — знижка або надбавка (PIN менеджера)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="99"/>
        <source>F6 — park the receipt / resume a parked one</source>
        <translation>F6 — відкласти чек / повернутися до відкладеного</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="107"/>
        <source>F7 — return</source>
        <translation>F7 — повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="114"/>
        <source>F8 — cash in / cash out</source>
        <translation>F8 — службове внесення / видача</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="121"/>
        <source>F9 — X-report</source>
        <translation>F9 — X-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="129"/>
        <source>F10 — Z-report (closes the shift)</source>
        <translation>F10 — Z-звіт (закриває зміну)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="139"/>
        <source>F11 — receipts of this shift (list, receipt, reprint)</source>
        <translation>F11 — чеки цієї зміни (список, чек, друк копії)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="152"/>
        <source>Shift+F11 — reports: receipts history, shifts, charts (manager&apos;s PIN)</source>
        <translation>Shift+F11 — звіти: історія чеків, зміни, графіки (PIN менеджера)</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="166"/>
        <source>Shift+F6 — customer orders: from the cart, advances, hand-over</source>
        <translation>Shift+F6 — замовлення покупців: з кошика, передоплати, видача</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="176"/>
        <source>F12 — pay</source>
        <translation>F12 — оплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="184"/>
        <source>Enter — add the highlighted good / confirm</source>
        <translation>Enter — додати виділений товар / підтвердити</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="192"/>
        <source>Esc — clear the search / cancel the receipt / close a dialog</source>
        <translation>Esc — очистити пошук / скасувати чек / закрити вікно</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="203"/>
        <source>+ / − — one piece more / less;  Del — remove the line</source>
        <translation>+ / − — на одну штуку більше / менше;  Del — вилучити рядок</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="212"/>
        <source>Ctrl+Z — undo the last change of the receipt</source>
        <translation>Ctrl+Z — скасувати останню зміну чека</translation>
    </message>
    <message>
        <location filename="../pos/ui/window_keys.py" line="218"/>
        <source>↑ ↓ — move in the results or in the cart</source>
        <translation>↑ ↓ — рух по результатах пошуку або по чеку</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="469"/>
        <source>Cash in / cash out…</source>
        <translation>Службове внесення / видача…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="482"/>
        <source>Cash in (service deposit)…</source>
        <translation>Службове внесення…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="483"/>
        <source>Cash out (service withdrawal)…</source>
        <translation>Службова видача…</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="518"/>
        <location filename="../pos/ui/main_window.py" line="685"/>
        <source>No shift is open.</source>
        <translation>Зміну не відкрито.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="671"/>
        <source>Reports</source>
        <translation>Звіти</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="572"/>
        <source>No receipt has been made since the program started.</source>
        <translation>Від запуску програми ще не було жодного чека.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="580"/>
        <source>Open the cash drawer</source>
        <translation>Відкрити грошову скриньку</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="587"/>
        <source>The cash drawer opens through an ESC/POS receipt printer. Set one up in Settings → Printer.</source>
        <translation>Грошова скринька відкривається через чековий принтер ESC/POS. Налаштуйте його в Налаштування → Принтер.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="599"/>
        <source>Zip (*.zip)</source>
        <translation>Архів zip (*.zip)</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="601"/>
        <source>Export diagnostics</source>
        <translation>Зберегти діагностику</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="622"/>
        <source>Diagnostics saved to {path}. It holds no secrets and no customer data.</source>
        <translation>Діагностику збережено у {path}. У ній немає секретів і даних покупців.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="635"/>
        <source>Finish or cancel the receipts in progress first.</source>
        <translation>Спершу завершіть або скасуйте незакриті чеки.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="654"/>
        <source>End offline work</source>
        <translation>Завершити роботу офлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="690"/>
        <source>Settings</source>
        <translation>Налаштування</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="769"/>
        <source>The open receipt ({lines} line(s), {total}) has not been paid.</source>
        <translation>Відкритий чек ({lines} рядк., {total}) не оплачено.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="775"/>
        <source>{count} parked receipt(s) have not been paid.</source>
        <translation>Відкладених чеків не оплачено: {count}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="782"/>
        <source>An unpaid receipt is not a sale: nothing of it has been fiscalised, and no money is owed for it. If the customer is still here, finish it first.</source>
        <translation>Неоплачений чек — це не продаж: нічого з нього не фіскалізовано, і грошей за нього ніхто не винен. Якщо покупець ще тут, спершу завершіть чек.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="790"/>
        <source>{count} document(s) made while offline wait to be uploaded. They are kept safely in the journal and are uploaded by themselves at the next start, as soon as there is a connection.</source>
        <translation>Документів, зроблених офлайн, чекають передавання: {count}. Вони надійно збережені в журналі й передадуться самі під час наступного запуску, щойно буде зв’язок.</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="807"/>
        <source>Quit the program now?</source>
        <translation>Вийти з програми зараз?</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="809"/>
        <source>Quit anyway</source>
        <translation>Усе одно вийти</translation>
    </message>
    <message>
        <location filename="../pos/ui/main_window.py" line="810"/>
        <source>Stay (Esc)</source>
        <translation>Залишитися (Esc)</translation>
    </message>
</context>
<context>
    <name>ManagerPinDialog</name>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="58"/>
        <source>Manager PIN</source>
        <translation>PIN менеджера</translation>
    </message>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="59"/>
        <source>Manager&apos;s PIN required</source>
        <translation>Потрібен PIN менеджера</translation>
    </message>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="61"/>
        <source>Cancel (Esc)</source>
        <translation>Скасувати (Esc)</translation>
    </message>
    <message>
        <location filename="../pos/ui/manager_pin.py" line="76"/>
        <source>Wrong PIN. Try again.</source>
        <translation>Невірний PIN. Спробуйте ще раз.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../pos/ui/messages.py" line="39"/>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} год {minutes:02d} хв</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="42"/>
        <source>{minutes} min</source>
        <translation>{minutes} хв</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="58"/>
        <source>This quantity cannot be sold: pieces must be whole, weight at most 3 decimals, more than zero and not absurdly large. Correct the quantity.</source>
        <translation>Таку кількість продати не можна: штуки — лише цілі, вага — до 3 знаків після коми, більше нуля і в розумних межах. Виправте кількість.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="63"/>
        <source>This barcode is not valid (wrong length or check digit). Scan it again or find the good by its name.</source>
        <translation>Штрихкод недійсний (неправильна довжина або контрольна цифра). Проскануйте ще раз або знайдіть товар за назвою.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="68"/>
        <source>This discount is not possible: it must be more than zero and not larger than the sum it applies to (a percentage at most 100).</source>
        <translation>Така знижка неможлива: вона має бути більшою за нуль і не більшою за суму, до якої застосовується (відсоток — не більше 100).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="73"/>
        <source>Enter an amount larger than zero.</source>
        <translation>Введіть суму, більшу за нуль.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="74"/>
        <source>The cart is empty: add goods first.</source>
        <translation>Чек порожній: спершу додайте товари.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="75"/>
        <source>Enter the PIN.</source>
        <translation>Введіть PIN.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="76"/>
        <source>There is no such line in the receipt.</source>
        <translation>У чеку немає такого рядка.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="80"/>
        <source>The input is not valid. Check it and try again.</source>
        <translation>Введено неправильні дані. Перевірте та спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="87"/>
        <source>The cashier is not signed in (or the session has expired): sign in again.</source>
        <translation>Касир не увійшов (або сеанс завершився): увійдіть знову.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="90"/>
        <source>Sign-in failed. Check the PIN and try again.</source>
        <translation>Не вдалося увійти. Перевірте PIN і спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="93"/>
        <source>No shift is open. Open a shift first (F2).</source>
        <translation>Зміну не відкрито. Спершу відкрийте зміну (F2).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="96"/>
        <source>The Z-report has been sent and Checkbox has not confirmed it yet. The register asks Checkbox by itself; when the shift is closed, open a new one (F2).</source>
        <translation>Z-звіт надіслано, але Checkbox його ще не підтвердив. Каса сама запитує Checkbox; коли зміну буде закрито, відкрийте нову (F2).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="101"/>
        <source>A shift is already open: go on selling, or make the Z-report (F10) first.</source>
        <translation>Зміну вже відкрито: продовжуйте продаж або спершу зробіть Z-звіт (F10).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="104"/>
        <source>The shift must close by midnight of its day (and within 24 h): make the Z-report (F10) now, then open a new shift (F2).</source>
        <translation>Зміну треба закрити до опівночі дня її відкриття (і не пізніше ніж за 24 год): зробіть Z-звіт (F10) зараз, потім відкрийте нову зміну (F2).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="109"/>
        <source>The register has been offline for almost 36 hours, the legal limit of one offline period (left: {left}). Selling is stopped until the connection is back and the offline receipts are uploaded. Check the internet connection or call the manager.</source>
        <translation>Каса працює офлайн майже 36 годин — це граничний строк одного офлайн-періоду (залишилось: {left}). Продаж зупинено, доки не відновиться зв&apos;язок і офлайн-чеки не буде передано. Перевірте інтернет або зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="115"/>
        <source>The register has almost used the 168 hours of offline work allowed in a calendar month (left: {left}). Selling offline is stopped: restore the connection or call the manager.</source>
        <translation>Каса майже вичерпала 168 годин офлайн-роботи, дозволених за календарний місяць (залишилось: {left}). Продаж офлайн зупинено: відновіть зв&apos;язок або зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="121"/>
        <source>No offline fiscal codes are left, so the register cannot work offline. Restore the connection to Checkbox to receive new codes, or call the manager.</source>
        <translation>Офлайн фіскальні номери закінчилися, тож каса не може працювати офлайн. Відновіть зв&apos;язок із Checkbox, щоб отримати нові, або зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="126"/>
        <source>Unfinished operations from the last run are being settled ({count}). Wait a moment and try again.</source>
        <translation>Завершуються незакінчені операції з минулого запуску ({count}). Зачекайте трохи й спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="131"/>
        <source>{count} transaction(s) still have to reach the tax service. Wait until the queue in the status bar is empty, then try again.</source>
        <translation>Ще {count} операцій мають дійти до податкової. Зачекайте, доки черга в рядку стану спорожніє, і спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="136"/>
        <source>The receipt breaks a fiscal rule and was not made.</source>
        <translation>Чек порушує фіскальне правило і не був створений.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="139"/>
        <source>Checkbox refused the operation. Correct what the message says, or call the manager.</source>
        <translation>Checkbox відхилив операцію. Виправте те, про що йдеться в повідомленні, або зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="143"/>
        <source>Checkbox cannot be reached and this operation needs it. Check the internet connection and try again.</source>
        <translation>Немає зв&apos;язку з Checkbox, а для цієї операції він потрібен. Перевірте інтернет і спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="148"/>
        <source>Nothing was found (or it cannot be used for this). Check and try again.</source>
        <translation>Нічого не знайдено (або це не можна використати тут). Перевірте та спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="152"/>
        <source>Only a manager can do this: ask for the manager PIN.</source>
        <translation>Це може зробити лише менеджер: попросіть PIN менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="155"/>
        <source>This journal may be behind Checkbox (restored from a backup, copied or recreated), so its offline codes may already be used. Restore the connection: the register reconciles with Checkbox and then works offline again.</source>
        <translation>Цей журнал може відставати від Checkbox (відновлений з резервної копії, скопійований або створений заново), тож його офлайн-коди могли вже бути використані. Відновіть зв’язок: каса звірить коди з Checkbox і знову зможе працювати офлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="161"/>
        <source>Checkbox used some offline codes on its own. Restore the connection so the register can reconcile its codes before it sells offline.</source>
        <translation>Checkbox сам використав частину офлайн-кодів. Відновіть зв’язок, щоб каса звірила коди, перш ніж продавати офлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="166"/>
        <source>The disk holding the journal is almost full, so no receipt can be saved safely. Free some disk space, then try again.</source>
        <translation>Диск із журналом майже заповнений, тож чек неможливо надійно зберегти. Звільніть місце на диску й спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="171"/>
        <source>This PC&apos;s clock differs from Checkbox&apos;s. Check the time and confirm it before selling offline.</source>
        <translation>Годинник цього комп’ютера розходиться з годинником Checkbox. Перевірте час і підтвердьте його, перш ніж продавати офлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="176"/>
        <source>{count} receipt(s) of this shift were being sent to Checkbox when the register stopped, and only Checkbox knows whether it fiscalised them. The Z-report waits until Checkbox has answered: restore the connection; the register asks by itself.</source>
        <translation>Чеки цієї зміни ({count}) надсилалися до Checkbox, коли каса зупинилася, і лише Checkbox знає, чи їх фіскалізовано. Z-звіт чекає, доки Checkbox відповість: відновіть зв’язок; каса запитає сама.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="182"/>
        <source>{count} receipt(s) were being sent to Checkbox when the register stopped. Checkbox may have fiscalised them with one of this register&apos;s offline codes, so no receipt can be issued offline until Checkbox has answered: restore the connection; the register asks by itself.</source>
        <translation>Чеків, що надсилалися до Checkbox, коли каса зупинилася: {count}. Checkbox міг фіскалізувати їх одним з офлайн-кодів цієї каси, тож жоден чек не можна видати офлайн, доки Checkbox не відповість: відновіть з&apos;єднання — каса запитає сама.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="197"/>
        <source>The cashier&apos;s electronic signature (CheckBox Підпис) is not running, so Checkbox cannot sign anything: nothing was fiscalised. Start it, or ask the manager to start it in the Checkbox cabinet, then try again.</source>
        <translation>Електронний підпис касира (CheckBox Підпис) не запущено, тож Checkbox нічого не може підписати: нічого не фіскалізовано. Запустіть його або попросіть менеджера запустити його в кабінеті Checkbox, потім спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="203"/>
        <source>Checkbox has blocked this cashier (the reason is below): nothing was fiscalised. Call the manager: only Checkbox support can unblock the cashier.</source>
        <translation>Checkbox заблокував цього касира (причина нижче): нічого не фіскалізовано. Викличте менеджера: розблокувати касира може лише підтримка Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="208"/>
        <source>The cashier&apos;s signing key has expired: nothing can be fiscalised with it. The manager must get a new key and register the cashier again.</source>
        <translation>Термін дії ключа підпису касира закінчився: ним нічого не можна фіскалізувати. Менеджер має отримати новий ключ і зареєструвати касира знову.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="213"/>
        <source>This cashier is deactivated in Checkbox. The manager must register the cashier again.</source>
        <translation>Цього касира деактивовано в Checkbox. Менеджер має зареєструвати касира знову.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="217"/>
        <source>Checkbox has blocked this register: nothing can be fiscalised on it. Call the manager.</source>
        <translation>Checkbox заблокував цю касу: на ній нічого не можна фіскалізувати. Викличте менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="222"/>
        <source>Checkbox has frozen this register (no receipts for a long time). The manager must pay the invoice and ask Checkbox support to unfreeze it.</source>
        <translation>Checkbox заморозив цю касу (давно не було чеків). Менеджер має сплатити рахунок і звернутися до підтримки Checkbox, щоб її розморозили.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="227"/>
        <source>Checkbox services are not paid, so every register of the shop is blocked. Call the manager to pay the invoice.</source>
        <translation>Послуги Checkbox не сплачено, тому всі каси магазину заблоковано. Викличте менеджера, щоб сплатити рахунок.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="237"/>
        <source>This register is used by another device (a duplicate of the register?). Call the manager or Checkbox support.</source>
        <translation>Цю касу використовує інший пристрій (дублікат каси?). Викличте менеджера або підтримку Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="242"/>
        <source>Checkbox is still processing earlier transactions, so this cannot be done yet. Wait a minute and try again; if it goes on for ten minutes, call the manager.</source>
        <translation>Checkbox ще обробляє попередні транзакції, тому це поки неможливо. Зачекайте хвилину і спробуйте ще раз; якщо це триває десять хвилин, викличте менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="252"/>
        <source>The tax service did not accept this receipt (the reason is below): it is NOT sold and nothing fiscal was printed. The goods are still in the receipt: try again, or call the manager if it is refused again.</source>
        <translation>Податкова не прийняла цей чек (причина нижче): його НЕ продано, фіскальний чек не надруковано. Товари залишилися в чеку: спробуйте ще раз або викличте менеджера, якщо його знову не приймуть.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="258"/>
        <source>The shift was not opened: the tax service refused its opening (the reason is below). Open it again; if it is refused again, call the manager.</source>
        <translation>Зміну не відкрито: податкова не прийняла її відкриття (причина нижче). Відкрийте її ще раз; якщо знову не приймуть, викличте менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="263"/>
        <source>Checkbox is under maintenance (until the time below). Sales go on offline; what needs Checkbox must wait until the work is over.</source>
        <translation>На Checkbox технічні роботи (до часу, вказаного нижче). Продаж триває офлайн; те, що потребує Checkbox, зачекає до завершення робіт.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="268"/>
        <source>Checkbox is temporarily unavailable. Try again in 2 minutes; sales go on offline meanwhile.</source>
        <translation>Checkbox тимчасово недоступний. Спробуйте ще раз за 2 хвилини; тим часом продаж триває офлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="273"/>
        <source>Checkbox did not answer in time (524). Try again in 2 minutes; sales go on offline meanwhile.</source>
        <translation>Checkbox не відповів вчасно (524). Спробуйте ще раз за 2 хвилини; тим часом продаж триває офлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="293"/>
        <source>The operation was refused ({reason}).</source>
        <translation>Операцію відхилено ({reason}).</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="310"/>
        <source>The cashier&apos;s electronic signature (CheckBox Підпис) is not running. Start it, or ask the manager to start it in the Checkbox cabinet, then try again.</source>
        <translation>Електронний підпис касира (CheckBox Підпис) не запущено. Запустіть його або попросіть менеджера запустити його в кабінеті Checkbox, потім спробуйте ще раз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="318"/>
        <source>Checkbox has blocked this cashier. Call the manager: only Checkbox support can unblock the cashier.</source>
        <translation>Checkbox заблокував цього касира. Зверніться до менеджера: розблокувати касира може лише підтримка Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="326"/>
        <source>The cashier&apos;s signing key has expired. The manager must get a new key and register the cashier again.</source>
        <translation>Термін дії ключа підпису касира закінчився. Менеджер має отримати новий ключ і зареєструвати касира знову.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="334"/>
        <source>Checkbox has blocked this register. Call the manager.</source>
        <translation>Checkbox заблокував цю касу. Зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="340"/>
        <source>Checkbox services are not paid, so every register is blocked. Call the manager.</source>
        <translation>Послуги Checkbox не оплачено, тому всі каси заблоковано. Зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="232"/>
        <location filename="../pos/ui/messages.py" line="347"/>
        <source>The shift was opened in another program (Checkbox Kasa). Finish there, or ask the manager: both at once would corrupt the register&apos;s reports.</source>
        <translation>Зміну відкрито в іншій програмі (Checkbox Kasa). Завершіть роботу там або зверніться до менеджера: робота в обох одночасно зіпсує звіти каси.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="355"/>
        <source>Checkbox is still processing transactions. Wait a minute and try again; if it goes on for ten minutes, call the manager.</source>
        <translation>Checkbox ще обробляє транзакції. Зачекайте хвилину й спробуйте ще раз; якщо це триває десять хвилин, зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="247"/>
        <location filename="../pos/ui/messages.py" line="363"/>
        <source>Sending receipts by SMS is not enabled for this shop. Send it by e-mail, or ask the manager to enable SMS in the Checkbox cabinet.</source>
        <translation>Надсилання чеків SMS для цього магазину не ввімкнено. Надішліть чек електронною поштою або попросіть менеджера ввімкнути SMS у кабінеті Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="381"/>
        <source>This is not a valid number. Type it again, e.g. 125.50 or 1.250.</source>
        <translation>Це не число. Введіть ще раз, напр. 125.50 або 1.250.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="384"/>
        <source>Something went wrong: {error}. The operation may not have finished.</source>
        <translation>Сталася помилка: {error}. Операція могла не завершитися.</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="404"/>
        <source>Cannot do this</source>
        <translation>Неможливо виконати</translation>
    </message>
    <message>
        <location filename="../pos/ui/messages.py" line="423"/>
        <source>Information</source>
        <translation>Інформація</translation>
    </message>
</context>
<context>
    <name>OrderPaymentDialog</name>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="25"/>
        <source>Pay the whole rest: {amount} UAH. An order takes one advance; the rest is paid in full when the goods are handed over (or cancel the order to refund the advance).</source>
        <translation>Сплатіть увесь залишок: {amount} грн. За замовленням береться одна передоплата; залишок сплачується повністю, коли товар видають (або скасуйте замовлення, щоб повернути передоплату).</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="43"/>
        <source>Advance for order {number}</source>
        <translation>Передоплата за замовлення {number}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="45"/>
        <source>Rest of order {number}: the goods are handed over</source>
        <translation>Доплата за замовлення {number}: товар видається</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="56"/>
        <source>Total {total}, paid {paid}, left to pay {left}</source>
        <translation>Сума {total}, сплачено {paid}, до сплати {left}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="69"/>
        <source>Cash:</source>
        <translation>Готівка:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="70"/>
        <source>Card:</source>
        <translation>Картка:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="71"/>
        <source>QR code:</source>
        <translation>QR-код:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="88"/>
        <source>{share} % of the order is {amount}.</source>
        <translation>{share} % замовлення — це {amount}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="94"/>
        <source>Change is given from cash only.</source>
        <translation>Решта видається лише з готівки.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="96"/>
        <source>Take the money</source>
        <translation>Прийняти оплату</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="98"/>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="122"/>
        <source>Together: {amount}</source>
        <translation>Разом: {amount}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="135"/>
        <source>“{text}” is not an amount. Type digits, for example 150.50.</source>
        <translation>«{text}» — не сума. Введіть цифри, наприклад 150.50.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="142"/>
        <source>The amount must be more than zero.</source>
        <translation>Сума має бути більшою за нуль.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders_pay.py" line="147"/>
        <source>Enter how much the customer pays.</source>
        <translation>Введіть, скільки сплачує покупець.</translation>
    </message>
</context>
<context>
    <name>OrdersDialog</name>
    <message>
        <location filename="../pos/ui/orders.py" line="88"/>
        <location filename="../pos/ui/orders.py" line="91"/>
        <source>Customer orders</source>
        <translation>Замовлення покупців</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="102"/>
        <source>New order from the cart</source>
        <translation>Нове замовлення з кошика</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="104"/>
        <source>Customer&apos;s name</source>
        <translation>Ім&apos;я покупця</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="115"/>
        <source>Note (what, when, how)</source>
        <translation>Примітка (що, коли, як)</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="122"/>
        <source>Create order</source>
        <translation>Створити замовлення</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="125"/>
        <source>Customer:</source>
        <translation>Покупець:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="126"/>
        <source>Phone:</source>
        <translation>Телефон:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="127"/>
        <source>E-mail:</source>
        <translation>E-mail:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="128"/>
        <source>Due:</source>
        <translation>До дати:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="129"/>
        <source>Note:</source>
        <translation>Примітка:</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="140"/>
        <source>Find: order number, phone or name</source>
        <translation>Пошук: номер замовлення, телефон або ім’я</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="167"/>
        <location filename="../pos/ui/orders.py" line="398"/>
        <source>Advance</source>
        <translation>Передоплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="168"/>
        <source>Rest and hand over</source>
        <translation>Доплата і видача</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="169"/>
        <source>Payment link</source>
        <translation>Посилання на оплату</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="171"/>
        <source>Cancel order</source>
        <translation>Скасувати замовлення</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="173"/>
        <source>Print</source>
        <translation>Друк</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="184"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="215"/>
        <source>The cart is empty: ring up the goods first, then press Shift+F6.</source>
        <translation>Кошик порожній: спершу додайте товари, потім натисніть Shift+F6.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="219"/>
        <source>{count} lines, total {total}</source>
        <translation>Рядків: {count}, сума {total}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="306"/>
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="307"/>
        <source>Customer</source>
        <translation>Покупець</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="308"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="309"/>
        <source>Total</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="310"/>
        <source>Left</source>
        <translation>Залишок</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="311"/>
        <source>State</source>
        <translation>Стан</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="334"/>
        <source>Checkbox is online: advances and payments can be taken.</source>
        <translation>Checkbox на зв’язку: передоплати й оплати можна приймати.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="339"/>
        <source>Checkbox is not reachable: prepayment receipts cannot be issued offline. Take NO money for orders now; orders can still be created and found.</source>
        <translation>Checkbox недоступний: чеки передоплати не можна створити офлайн. НЕ приймайте зараз гроші за замовлення; створювати й шукати замовлення можна.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="346"/>
        <source>open</source>
        <translation>відкрите</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="347"/>
        <source>partly paid</source>
        <translation>частково сплачене</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="348"/>
        <source>paid</source>
        <translation>сплачене</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="349"/>
        <source>handed over</source>
        <translation>видане</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="350"/>
        <source>cancelled</source>
        <translation>скасоване</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="354"/>
        <location filename="../pos/ui/orders.py" line="406"/>
        <source>not confirmed</source>
        <translation>не підтверджено</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="383"/>
        <source>Order {number} · {customer} · {phone} · {email}</source>
        <translation>Замовлення {number} · {customer} · {phone} · {email}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="391"/>
        <source>Due: {date}</source>
        <translation>До дати: {date}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="399"/>
        <source>After-payment</source>
        <translation>Доплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="400"/>
        <source>Refund</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="408"/>
        <source>{kind}: {sum} (cash {cash}, card {card}, QR {qr}) {code}</source>
        <translation>{kind}: {sum} (готівка {cash}, картка {card}, QR {qr}) {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="418"/>
        <source>Total {total}, paid {paid}, left to pay {left}</source>
        <translation>Сума {total}, сплачено {paid}, до сплати {left}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="437"/>
        <source>Enter the customer&apos;s name or phone.</source>
        <translation>Введіть ім&apos;я або телефон покупця.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="441"/>
        <source>Creating the order…</source>
        <translation>Створюю замовлення…</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="467"/>
        <source>Order {number} is created. Take an advance with F4.</source>
        <translation>Замовлення {number} створено. Передоплата — F4.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="495"/>
        <source>Checkbox is not reachable, and prepayment receipts cannot be issued offline. Take NO money for this order now; try again when the register is online.</source>
        <translation>Checkbox недоступний, а чеки передоплати не можна створити офлайн. НЕ приймайте зараз гроші за це замовлення; спробуйте, коли каса буде на зв’язку.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="499"/>
        <source>No advances offline</source>
        <translation>Передоплата офлайн неможлива</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="529"/>
        <source>Sending to Checkbox…</source>
        <translation>Надсилання до Checkbox…</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="549"/>
        <source>Advance taken for order {number}: fiscal code {code}. Print it with F9.</source>
        <translation>Передоплату за замовлення {number} прийнято: фіскальний код {code}. Друк — F9.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="551"/>
        <source>Order {number} is paid and handed over: fiscal code {code}.</source>
        <translation>Замовлення {number} сплачено й видано: фіскальний код {code}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="568"/>
        <source>Press F8 again to cancel order {number} and refund {amount}: cash {cash}, to the card {card}, QR {qr}.</source>
        <translation>Натисніть F8 ще раз, щоб скасувати замовлення {number} і повернути {amount}: готівкою {cash}, на картку {card}, QR {qr}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="583"/>
        <source>Cancelling…</source>
        <translation>Скасування…</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="593"/>
        <source>Order {number} is cancelled.</source>
        <translation>Замовлення {number} скасовано.</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="604"/>
        <source>No payment link: {reason}</source>
        <translation>Посилання на оплату неможливе: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="613"/>
        <source>Payment link data for {amount} copied (cashItems, customer&apos;s contacts).</source>
        <translation>Дані посилання на оплату {amount} скопійовано (cashItems, контакти покупця).</translation>
    </message>
    <message>
        <location filename="../pos/ui/orders.py" line="641"/>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
</context>
<context>
    <name>ParkedCartsDialog</name>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="388"/>
        <location filename="../pos/ui/cart_dialogs.py" line="389"/>
        <source>Parked receipts</source>
        <translation>Відкладені чеки</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="394"/>
        <source>#{number}  {time}  —  {lines} line(s), {total}</source>
        <translation>№{number}  {time}  —  рядків: {lines}, {total}</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="401"/>
        <source>Park the current receipt (F6)</source>
        <translation>Відкласти поточний чек (F6)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="402"/>
        <source>Resume (Enter)</source>
        <translation>Повернутися (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="403"/>
        <source>Cancel (Esc)</source>
        <translation>Скасувати (Esc)</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../pos/ui/payment.py" line="197"/>
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="198"/>
        <source>To pay:</source>
        <translation>До сплати:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="199"/>
        <location filename="../pos/ui/payment.py" line="210"/>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="200"/>
        <location filename="../pos/ui/payment.py" line="202"/>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="201"/>
        <source>Card + cash</source>
        <translation>Картка + готівка</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="203"/>
        <source>Card part:</source>
        <translation>Карткою:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="204"/>
        <source>RRN:</source>
        <translation>RRN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="205"/>
        <source>Auth code:</source>
        <translation>Код авторизації:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="206"/>
        <source>Card number:</source>
        <translation>Номер картки:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="207"/>
        <source>Payment system:</source>
        <translation>Платіжна система:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="211"/>
        <source>Tendered:</source>
        <translation>Отримано:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="212"/>
        <source>exact</source>
        <translation>без решти</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="213"/>
        <source>Exact</source>
        <translation>Без решти</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="218"/>
        <source>E-mail for the receipt:</source>
        <translation>E-mail для чека:</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="219"/>
        <source>optional</source>
        <translation>необов&apos;язково</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="220"/>
        <source>Pay (Enter)</source>
        <translation>Оплатити (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="221"/>
        <source>Cancel (Esc)</source>
        <translation>Скасувати (Esc)</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="285"/>
        <source>Cash to pay: {sum}</source>
        <translation>Готівкою до сплати: {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="288"/>
        <source>NBU cash rounding: {exact} → {rounded} ({diff})</source>
        <translation>Заокруглення готівки (НБУ): {exact} → {rounded} ({diff})</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="304"/>
        <source>Not enough: {sum} more</source>
        <translation>Недостатньо: ще {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="306"/>
        <source>Change: {sum}</source>
        <translation>Решта: {sum}</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="372"/>
        <source>The payment does not cover the sum to pay.</source>
        <translation>Оплата не покриває суму до сплати.</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="388"/>
        <source>The e-mail address does not look right.</source>
        <translation>Адреса e-mail виглядає неправильною.</translation>
    </message>
    <message>
        <location filename="../pos/ui/payment.py" line="392"/>
        <source>Fiscalising the receipt…</source>
        <translation>Фіскалізація чека…</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../pos/ui/pin_pad.py" line="70"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../pos/ui/pin_pad.py" line="71"/>
        <source>OK (Enter)</source>
        <translation>OK (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/pin_pad.py" line="72"/>
        <source>Erase the last digit (Backspace)</source>
        <translation>Стерти останню цифру (Backspace)</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="138"/>
        <source>Weight</source>
        <translation>Вага</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="138"/>
        <source>Quantity</source>
        <translation>Кількість</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="141"/>
        <source>Weight in kg (up to 3 decimals, e.g. 0.750):</source>
        <translation>Вага в кг (до 3 знаків після коми, напр. 0.750):</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="143"/>
        <source>Number of pieces:</source>
        <translation>Кількість штук:</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="145"/>
        <source>OK (Enter)</source>
        <translation>OK (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/cart_dialogs.py" line="146"/>
        <source>Cancel (Esc)</source>
        <translation>Скасувати (Esc)</translation>
    </message>
</context>
<context>
    <name>QuantityEdit</name>
    <message>
        <location filename="../pos/ui/widgets.py" line="81"/>
        <source>Type the quantity.</source>
        <translation>Введіть кількість.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="90"/>
        <source>A weight has at most 3 decimals, e.g. 0.750 or 1,25.</source>
        <translation>Вага — щонайбільше 3 знаки після коми, напр. 0.750 або 1,25.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="95"/>
        <source>Type the number of pieces, e.g. 2.</source>
        <translation>Введіть кількість штук, напр. 2.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="99"/>
        <source>Enter a quantity larger than zero.</source>
        <translation>Введіть кількість, більшу за нуль.</translation>
    </message>
    <message>
        <location filename="../pos/ui/widgets.py" line="103"/>
        <source>This good is sold in whole pieces: {text} is not a whole number. Type a whole number of pieces.</source>
        <translation>Цей товар продається цілими штуками: {text} — не ціле число. Введіть цілу кількість штук.</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="359"/>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="370"/>
        <source>none given</source>
        <translation>не вказано</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="374"/>
        <source>E-mail:</source>
        <translation>E-mail:</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="377"/>
        <source>Print</source>
        <translation>Друк</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="378"/>
        <source>Save PDF</source>
        <translation>Зберегти PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="379"/>
        <source>Reprint</source>
        <translation>Друк копії</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="381"/>
        <source>Reads the receipt again (it may have been uploaded since) and prints a copy</source>
        <translation>Перечитує чек (його могли вже вивантажити) і друкує копію</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="383"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="447"/>
        <source>The copy was e-mailed to this address when the receipt was made. This register cannot send it again.</source>
        <translation>Копію чека надіслано на цю адресу під час продажу. Повторно надіслати її ця каса не може.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="454"/>
        <source>No e-mail was recorded for this receipt. This register cannot e-mail a receipt afterwards: print it or save a PDF instead.</source>
        <translation>Для цього чека e-mail не вказували. Надіслати чек поштою згодом ця каса не може: надрукуйте його або збережіть PDF.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="475"/>
        <source>Sale</source>
        <translation>Продаж</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="476"/>
        <source>Return</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="477"/>
        <source>Cash in</source>
        <translation>Службове внесення</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="478"/>
        <source>Cash out</source>
        <translation>Службова видача</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="479"/>
        <source>Cash withdrawal</source>
        <translation>Видача готівки</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="489"/>
        <source>fiscalised by Checkbox under its own code {code}: set aside for the manager</source>
        <translation>фіскалізовано Checkbox під його власним кодом {code}: відкладено для менеджера</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="492"/>
        <source>fiscalised</source>
        <translation>фіскалізовано</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="494"/>
        <source>fiscalised offline, waiting to be uploaded</source>
        <translation>фіскалізовано офлайн, чекає на вивантаження</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="496"/>
        <source>fiscalised offline, uploaded</source>
        <translation>фіскалізовано офлайн, вивантажено</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="498"/>
        <source>void: the server&apos;s receipt replaces this copy</source>
        <translation>анульовано: замість цієї копії діє чек сервера</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="500"/>
        <source>rejected: {reason}</source>
        <translation>відхилено: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="501"/>
        <source>not fiscalised yet</source>
        <translation>ще не фіскалізовано</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="506"/>
        <source>fiscal code {code}</source>
        <translation>фіскальний номер {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="508"/>
        <source>TRAINING</source>
        <translation>НАВЧАЛЬНИЙ РЕЖИМ</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="544"/>
        <source>The receipt was printed.</source>
        <translation>Чек надруковано.</translation>
    </message>
    <message>
        <location filename="../pos/ui/receipt_dialog.py" line="551"/>
        <source>The receipt</source>
        <translation>Чек</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinting</name>
    <message>
        <location filename="../pos/ui/printer_output.py" line="117"/>
        <source>Printing…</source>
        <translation>Друк…</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="120"/>
        <source>Printer: {reason}. The receipt is saved; reprint it with Ctrl+P.</source>
        <translation>Принтер: {reason}. Чек збережено; надрукуйте його ще раз клавішами Ctrl+P.</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="123"/>
        <source>Printer: {reason}. {count} receipts are saved but not printed; reprint them with Ctrl+P.</source>
        <translation>Принтер: {reason}. Чеків збережено, але не надруковано: {count}; надрукуйте їх клавішами Ctrl+P.</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="132"/>
        <source>not connected or switched off</source>
        <translation>не під’єднаний або вимкнений</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="133"/>
        <source>does not answer (out of paper, cover open?)</source>
        <translation>не відповідає (закінчився папір, відкрита кришка?)</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="134"/>
        <source>out of paper</source>
        <translation>закінчився папір</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="135"/>
        <source>its address in the settings is wrong</source>
        <translation>у налаштуваннях неправильна адреса</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="136"/>
        <source>this printer model cannot print Ukrainian letters</source>
        <translation>ця модель принтера не друкує українських літер</translation>
    </message>
    <message>
        <location filename="../pos/ui/printer_output.py" line="140"/>
        <source>error ({detail})</source>
        <translation>помилка ({detail})</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../pos/ui/reports.py" line="135"/>
        <source>Z-report: close the shift</source>
        <translation>Z-звіт: закриття зміни</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="135"/>
        <source>X-report</source>
        <translation>X-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="172"/>
        <source>Print</source>
        <translation>Друк</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="173"/>
        <source>Save PDF</source>
        <translation>Зберегти PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="174"/>
        <source>Refresh</source>
        <translation>Оновити</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="175"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="189"/>
        <source>Count the cash in the drawer</source>
        <translation>Перерахуйте готівку в касі</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="202"/>
        <source>Expected:</source>
        <translation>Має бути:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="203"/>
        <source>Counted:</source>
        <translation>Пораховано:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="204"/>
        <source>Difference:</source>
        <translation>Різниця:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="209"/>
        <source>All</source>
        <translation>Усе</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="212"/>
        <source>Counted</source>
        <translation>Пораховане</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="224"/>
        <source>Cash collection:</source>
        <translation>Інкасація:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="225"/>
        <source>Left for the next shift:</source>
        <translation>Залишиться на наступну зміну:</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="237"/>
        <source>Close the shift…</source>
        <translation>Закрити зміну…</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="239"/>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="255"/>
        <source>After the Z-report no more receipts can be made in this shift. This cannot be undone.</source>
        <translation>Після Z-звіту в цій зміні чеків більше не буде. Скасувати це неможливо.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="261"/>
        <source>Close the shift</source>
        <translation>Закрити зміну</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="263"/>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="294"/>
        <source>Making the X-report…</source>
        <translation>Формуємо X-звіт…</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="301"/>
        <source>The X-report could not be made.</source>
        <translation>X-звіт сформувати не вдалося.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="316"/>
        <source>The server&apos;s report is not available (the register works offline): these are the register&apos;s own totals.</source>
        <translation>Звіт сервера недоступний (каса працює офлайн): це власні підсумки каси.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="325"/>
        <source>The register&apos;s totals and the server&apos;s agree to the kopeck.</source>
        <translation>Підсумки каси і сервера збігаються до копійки.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="330"/>
        <source>{field}: register {local}, server {server}</source>
        <translation>{field}: каса {local}, сервер {server}</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="336"/>
        <source>The register&apos;s totals differ from the server&apos;s: {items}</source>
        <translation>Підсумки каси відрізняються від серверних: {items}</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="343"/>
        <source>{count} receipt(s) are not settled yet and are not in these totals.</source>
        <translation>Чеків, ще не підтверджених сервером: {count}; у ці підсумки вони не входять.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="391"/>
        <source>The Z-report</source>
        <translation>Z-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="391"/>
        <source>The X-report</source>
        <translation>X-звіт</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="417"/>
        <source>No shift is open.</source>
        <translation>Зміну не відкрито.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="425"/>
        <source>{count} receipt(s) are not settled yet: the register sends them before closing.</source>
        <translation>Чеків, ще не підтверджених сервером: {count}; каса надішле їх перед закриттям.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="438"/>
        <source>The cash matches.</source>
        <translation>Готівка збігається.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="440"/>
        <source>Short by {amount}: count again before closing.</source>
        <translation>Нестача {amount}: перерахуйте ще раз перед закриттям.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="442"/>
        <source>Over by {amount}: count again before closing.</source>
        <translation>Надлишок {amount}: перерахуйте ще раз перед закриттям.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="477"/>
        <source>The cash collection ({amount}) is more than the drawer holds ({balance}).</source>
        <translation>Інкасація ({amount}) більша, ніж є в касі ({balance}).</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="487"/>
        <source>Close shift No. {serial} and make the Z-report?</source>
        <translation>Закрити зміну № {serial} і сформувати Z-звіт?</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="491"/>
        <source>Expected {expected}, counted {counted}, difference {difference}.</source>
        <translation>Має бути {expected}, пораховано {counted}, різниця {difference}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="508"/>
        <source>Cash collection {amount} goes out before the Z-report; {left} stays for the next shift.</source>
        <translation>Інкасація {amount} вилучається перед Z-звітом; {left} залишається на наступну зміну.</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="522"/>
        <source>Closing the shift… (what is still queued is sent first)</source>
        <translation>Закриваємо зміну… (спершу надсилаємо те, що в черзі)</translation>
    </message>
    <message>
        <location filename="../pos/ui/reports.py" line="527"/>
        <source>The shift is still open.</source>
        <translation>Зміна досі відкрита.</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <location filename="../pos/ui/returns.py" line="181"/>
        <location filename="../pos/ui/returns.py" line="224"/>
        <source>Return</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="186"/>
        <source>Fiscal code, receipt number, or scan the receipt&apos;s barcode</source>
        <translation>Фіскальний номер, номер чека або відскануйте штрихкод чека</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="188"/>
        <source>Find</source>
        <translation>Знайти</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="195"/>
        <source>Sales of the day</source>
        <translation>Продажі за день</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="206"/>
        <source>Time</source>
        <translation>Час</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="207"/>
        <source>Fiscal code</source>
        <translation>Фіскальний номер</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="208"/>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="209"/>
        <source>Sum</source>
        <translation>Сума</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="210"/>
        <source>Paid</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="221"/>
        <source>Good</source>
        <translation>Товар</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="222"/>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="223"/>
        <source>Can return</source>
        <translation>Можна повернути</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="225"/>
        <source>Refund</source>
        <translation>До повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="240"/>
        <source>Return everything</source>
        <translation>Повернути все</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="243"/>
        <location filename="../pos/ui/returns.py" line="550"/>
        <source>Make the return</source>
        <translation>Оформити повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="248"/>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="276"/>
        <source>Type or scan a fiscal code or receipt number.</source>
        <translation>Введіть або відскануйте фіскальний номер чи номер чека.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="281"/>
        <source>No sale found for “{text}”.</source>
        <translation>Продажу «{text}» не знайдено.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="290"/>
        <source>No sales on {day}.</source>
        <translation>Продажів за {day} немає.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="342"/>
        <source>offline</source>
        <translation>офлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="358"/>
        <source>{count} sales found: choose one with ↑ ↓ and Enter.</source>
        <translation>Знайдено продажів: {count}. Виберіть ↑ ↓ і Enter.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="375"/>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="375"/>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="421"/>
        <source>{quantity} kg</source>
        <translation>{quantity} кг</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="456"/>
        <source>Everything from this sale has been returned already.</source>
        <translation>Усе з цього продажу вже повернуто.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="459"/>
        <source>Paid: {payments}. The money goes back the way it was paid.</source>
        <translation>Оплата: {payments}. Гроші повертаються тим самим способом.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="492"/>
        <source>To refund: {amount}</source>
        <translation>До повернення: {amount}</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="522"/>
        <source>Set the quantity to return on at least one line.</source>
        <translation>Вкажіть кількість до повернення хоча б в одному рядку.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="568"/>
        <source>Yes, make the return</source>
        <translation>Так, оформити повернення</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="572"/>
        <source>Refund {amount} for {lines} line(s)? Press Enter again to make the return receipt, Esc to change it.</source>
        <translation>Повернути {amount} за {lines} рядк.? Натисніть Enter ще раз, щоб оформити чек повернення, або Esc, щоб змінити.</translation>
    </message>
    <message>
        <location filename="../pos/ui/returns.py" line="588"/>
        <source>Making the return receipt…</source>
        <translation>Оформлюємо чек повернення…</translation>
    </message>
</context>
<context>
    <name>ScanSearchInput</name>
    <message>
        <location filename="../pos/ui/search_input.py" line="51"/>
        <source>Scan a barcode or type a name / code (F3)</source>
        <translation>Скануйте штрихкод або введіть назву / код (F3)</translation>
    </message>
</context>
<context>
    <name>SellingPage</name>
    <message>
        <location filename="../pos/ui/selling.py" line="227"/>
        <location filename="../pos/ui/selling.py" line="276"/>
        <source>Nothing found for “{text}”</source>
        <translation>Нічого не знайдено за «{text}»</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="305"/>
        <source>No good with the barcode {code}</source>
        <translation>Немає товару зі штрихкодом {code}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="325"/>
        <source>That was a barcode, not a quantity: {code} is scanned.</source>
        <translation>Це штрихкод, а не кількість: {code} відскановано.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="361"/>
        <source>Added: {name} — {quantity}</source>
        <translation>Додано: {name} — {quantity}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="386"/>
        <source>Remove a line after a discount: {name}</source>
        <translation>Вилучити рядок після знижки: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="405"/>
        <source>Removed: {name}</source>
        <translation>Вилучено: {name}</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="420"/>
        <source>To take the line off, press Del.</source>
        <translation>Щоб вилучити рядок, натисніть Del.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="441"/>
        <location filename="../pos/ui/selling.py" line="461"/>
        <source>The receipt is empty.</source>
        <translation>Чек порожній.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="464"/>
        <source>Discount or extra charge</source>
        <translation>Знижка або надбавка</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="505"/>
        <source>Nothing to park: the receipt is empty.</source>
        <translation>Нічого відкладати: чек порожній.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="523"/>
        <source>Receipt parked as #{number}. F6 brings it back.</source>
        <translation>Чек відкладено як №{number}. F6 — повернутися до нього.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="537"/>
        <source>Receipt #{number} resumed.</source>
        <translation>Чек №{number} повернуто.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="550"/>
        <source>Nothing to undo.</source>
        <translation>Нема чого скасовувати.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="557"/>
        <source>Undone: the receipt is as it was before the last change.</source>
        <translation>Скасовано: чек такий, як до останньої зміни.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="584"/>
        <source>Cancel the receipt</source>
        <translation>Скасувати чек</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="585"/>
        <source>Remove every line of this receipt?</source>
        <translation>Вилучити всі рядки цього чека?</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="599"/>
        <source>The receipt was cancelled. Ctrl+Z brings it back.</source>
        <translation>Чек скасовано. Ctrl+Z поверне його.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="606"/>
        <source>The receipt is empty: scan or choose goods first.</source>
        <translation>Чек порожній: спершу проскануйте або виберіть товари.</translation>
    </message>
    <message>
        <location filename="../pos/ui/selling.py" line="628"/>
        <source>Sold: {sum}. Receipt {code}.</source>
        <translation>Продано: {sum}. Чек {code}.</translation>
    </message>
</context>
<context>
    <name>SetAsideList</name>
    <message>
        <location filename="../pos/ui/set_aside.py" line="44"/>
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="45"/>
        <source>What</source>
        <translation>Що</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="46"/>
        <source>Receipt or shift</source>
        <translation>Чек або зміна</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="47"/>
        <source>Fiscal code</source>
        <translation>Фіскальний номер</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="48"/>
        <source>The server&apos;s answer</source>
        <translation>Відповідь сервера</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="66"/>
        <source>going offline</source>
        <translation>перехід в офлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="67"/>
        <source>shift opening</source>
        <translation>відкриття зміни</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="68"/>
        <source>shift closing (Z-report)</source>
        <translation>закриття зміни (Z-звіт)</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="69"/>
        <source>receipt</source>
        <translation>чек</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="70"/>
        <source>going online</source>
        <translation>повернення в онлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="86"/>
        <source>{count} offline transaction(s) were refused by the server and set aside. The rest were uploaded. Check each one with Checkbox support.</source>
        <translation>Офлайн-операцій, які сервер відхилив і відкладено: {count}. Решту вивантажено. Перевірте кожну з підтримкою Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/set_aside.py" line="91"/>
        <source>No problems: every offline transaction was accepted.</source>
        <translation>Проблем немає: усі офлайн-операції прийнято.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../pos/ui/settings.py" line="86"/>
        <source>Settings</source>
        <translation>Налаштування</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="90"/>
        <source>Connection</source>
        <translation>Підключення</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="91"/>
        <source>Printer</source>
        <translation>Принтер</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="92"/>
        <source>Language</source>
        <translation>Мова</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="93"/>
        <source>Limits</source>
        <translation>Ліміти</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="94"/>
        <source>Manager PIN</source>
        <translation>PIN менеджера</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="95"/>
        <source>Problems</source>
        <translation>Проблеми</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="97"/>
        <source>Save</source>
        <translation>Зберегти</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="98"/>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="110"/>
        <source>Training mode: a built-in test server, nothing is fiscal</source>
        <translation>Навчальний режим: вбудований тестовий сервер, нічого не фіскалізується</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="119"/>
        <source>stored; type a new key to replace it</source>
        <translation>збережено; введіть новий ключ, щоб замінити</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="121"/>
        <source>not set</source>
        <translation>не задано</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="129"/>
        <source>stored; type a new address to replace it</source>
        <translation>збережено; введіть нову адресу, щоб замінити</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="131"/>
        <source>optional: postgresql://user:password@host/shop</source>
        <translation>необов’язково: postgresql://користувач:пароль@сервер/магазин</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="133"/>
        <source>Cashier&apos;s PIN</source>
        <translation>PIN касира</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="134"/>
        <source>Login and password</source>
        <translation>Логін і пароль</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="150"/>
        <source>API address:</source>
        <translation>Адреса API:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="151"/>
        <source>License key:</source>
        <translation>Ключ ліцензії:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="152"/>
        <source>Cashier signs in with:</source>
        <translation>Касир входить за допомогою:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="153"/>
        <source>Back-office database:</source>
        <translation>База бек-офісу:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="162"/>
        <source>Ask every time (or save as PDF)</source>
        <translation>Питати щоразу (або зберегти PDF)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="167"/>
        <source>{name} (not found)</source>
        <translation>{name} (не знайдено)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="170"/>
        <source>80 mm</source>
        <translation>80 мм</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="171"/>
        <source>58 mm</source>
        <translation>58 мм</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="186"/>
        <source>System printer:</source>
        <translation>Системний принтер:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="187"/>
        <source>Paper width:</source>
        <translation>Ширина стрічки:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="188"/>
        <source>Shop name on receipts:</source>
        <translation>Назва магазину в чеках:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="189"/>
        <source>Shop address on receipts:</source>
        <translation>Адреса магазину в чеках:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="198"/>
        <source>None: the system printer below, or PDF</source>
        <translation>Немає: системний принтер нижче або PDF</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="199"/>
        <source>USB (vendor:product)</source>
        <translation>USB (виробник:виріб)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="200"/>
        <source>Serial port</source>
        <translation>Послідовний порт (COM)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="201"/>
        <source>Network (IP address:port)</source>
        <translation>Мережа (IP-адреса:порт)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="202"/>
        <source>Device or file (/dev/usb/lp0)</source>
        <translation>Пристрій або файл (/dev/usb/lp0)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="217"/>
        <source>Automatic (best Ukrainian code page)</source>
        <translation>Автоматично (найкраща для української)</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="225"/>
        <source>Print every receipt at once after the sale</source>
        <translation>Друкувати кожен чек одразу після продажу</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="227"/>
        <source>Open the cash drawer on cash payments</source>
        <translation>Відкривати грошову скриньку при оплаті готівкою</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="230"/>
        <source>Print test page</source>
        <translation>Друк тестової сторінки</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="235"/>
        <source>Receipt printer:</source>
        <translation>Чековий принтер:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="236"/>
        <source>Address:</source>
        <translation>Адреса:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="237"/>
        <source>Printer model:</source>
        <translation>Модель принтера:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="238"/>
        <source>Code page:</source>
        <translation>Кодова сторінка:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="263"/>
        <source>The model {profile} has no Cyrillic code page: receipts cannot be printed in Ukrainian. Choose “default” (most ESC/POS printers) or another model, or use the system printer.</source>
        <translation>Модель {profile} не має кириличної кодової сторінки: чеки українською не надрукуються. Виберіть «default» (більшість принтерів ESC/POS) чи іншу модель або системний принтер.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="269"/>
        <source>The model {profile} has no {page}; it has {pages}.</source>
        <translation>Модель {profile} не має {page}; є: {pages}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="275"/>
        <source>Prints with {page}.</source>
        <translation>Друкує в кодуванні {page}.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="277"/>
        <source>CP866 has no І and Ґ: they print as I and Г.</source>
        <translation>У CP866 немає І та Ґ: вони друкуються як I та Г.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="289"/>
        <source>Enter the receipt printer&apos;s address.</source>
        <translation>Введіть адресу чекового принтера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="291"/>
        <source>A USB printer&apos;s address is vendor:product in hex, e.g. 04b8:0202.</source>
        <translation>Адреса USB-принтера — виробник:виріб у шістнадцятковому вигляді, напр. 04b8:0202.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="317"/>
        <source>Printing the test page…</source>
        <translation>Друкую тестову сторінку…</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="326"/>
        <source>The test page was printed.</source>
        <translation>Тестову сторінку надруковано.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="333"/>
        <source>The test page did not print: {reason}</source>
        <translation>Тестова сторінка не надрукувалася: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="343"/>
        <source>Receipts and reports are always printed in Ukrainian.</source>
        <translation>Чеки та звіти завжди друкуються українською.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="346"/>
        <source>Interface language:</source>
        <translation>Мова інтерфейсу:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="359"/>
        <source>h</source>
        <translation>год</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="372"/>
        <source>min</source>
        <translation>хв</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="375"/>
        <source>The register reads these at start: they apply after a restart.</source>
        <translation>Каса читає ці значення під час запуску: вони діятимуть після перезапуску.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="378"/>
        <source>Warn when the offline period (36 h) has left:</source>
        <translation>Попереджати, коли до кінця офлайн-періоду (36 год) лишається:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="380"/>
        <source>Warn when the month&apos;s offline time (168 h) has left:</source>
        <translation>Попереджати, коли з місячного офлайн-ліміту (168 год) лишається:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="382"/>
        <source>Warn when the shift (24 h) has left:</source>
        <translation>Попереджати, коли до кінця зміни (24 год) лишається:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="383"/>
        <source>Warn when offline codes fall to:</source>
        <translation>Попереджати, коли офлайн-кодів лишається:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="384"/>
        <source>Keep at least this many offline codes:</source>
        <translation>Тримати щонайменше стільки офлайн-кодів:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="401"/>
        <source>Leave empty to keep the PIN. A new PIN has 4 to 8 digits.</source>
        <translation>Залиште порожнім, щоб не змінювати PIN. Новий PIN — від 4 до 8 цифр.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="404"/>
        <source>Current PIN:</source>
        <translation>Поточний PIN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="405"/>
        <source>New PIN:</source>
        <translation>Новий PIN:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="406"/>
        <source>New PIN again:</source>
        <translation>Новий PIN ще раз:</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="413"/>
        <source>Refresh</source>
        <translation>Оновити</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="422"/>
        <source>Switching between training and real work takes effect after a restart.</source>
        <translation>Перемикання між навчальним і робочим режимом діятиме після перезапуску.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="433"/>
        <source>Enter the API address, e.g. https://api.checkbox.ua</source>
        <translation>Введіть адресу API, наприклад https://api.checkbox.ua</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="436"/>
        <source>The API address must not contain spaces.</source>
        <translation>Адреса API не може містити пробілів.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="439"/>
        <source>The API address must start with https://</source>
        <translation>Адреса API має починатися з https://</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="441"/>
        <source>The API address has no server name.</source>
        <translation>В адресі API немає імені сервера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="443"/>
        <source>Use https://: the license key must not travel unencrypted.</source>
        <translation>Використовуйте https://: ключ ліцензії не можна передавати без шифрування.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="445"/>
        <source>The API address must not contain ? or #.</source>
        <translation>Адреса API не може містити ? або #.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="452"/>
        <source>Enter the register&apos;s license key (from the Checkbox cabinet).</source>
        <translation>Введіть ключ ліцензії каси (з кабінету Checkbox).</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="456"/>
        <source>A license key is 16 to 64 Latin letters and digits, without spaces. Copy it again from the Checkbox cabinet.</source>
        <translation>Ключ ліцензії — це від 16 до 64 латинських літер і цифр без пробілів. Скопіюйте його ще раз із кабінету Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="466"/>
        <source>The current manager PIN is not right.</source>
        <translation>Поточний PIN менеджера неправильний.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="468"/>
        <source>The new PIN must have 4 to 8 digits.</source>
        <translation>Новий PIN має складатися з 4–8 цифр.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="470"/>
        <source>Choose a manager PIN other than 0000.</source>
        <translation>Оберіть PIN менеджера, відмінний від 0000.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="472"/>
        <source>The new PIN and its repetition differ.</source>
        <translation>Новий PIN і його повтор не збігаються.</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="503"/>
        <source>Before real work, set a new manager PIN (not 0000).</source>
        <translation>Перед реальною роботою встановіть новий PIN менеджера (не 0000).</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="517"/>
        <source>The back-office database must be a postgresql:// address.</source>
        <translation>Адреса бази бек-офісу має бути postgresql://…</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="576"/>
        <source>The settings could not be written: {reason}</source>
        <translation>Не вдалося записати налаштування: {reason}</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="593"/>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <location filename="../pos/ui/settings.py" line="595"/>
        <source>Saved. Restart the program for the new connection and limits to apply.</source>
        <translation>Збережено. Перезапустіть програму, щоб нове підключення й ліміти набули чинності.</translation>
    </message>
</context>
<context>
    <name>ShiftOpenPage</name>
    <message>
        <location filename="../pos/ui/shift_open.py" line="93"/>
        <source>Open the shift</source>
        <extracomment>The open ended, opened or refused: the window routes again (it stays here meanwhile). True from &quot;Open&quot; until the float is booked: the shift is opened on Checkbox before its float&apos;s service receipt, and the selling screen must not show a half-opened shift.</extracomment>
        <translation>Відкриття зміни</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="95"/>
        <source>Opening float: the cash the drawer should hold (empty: as carried), Enter</source>
        <translation>Розмінна сума: скільки готівки має бути в касі (порожньо — як перенесено), Enter</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="99"/>
        <source>Open shift (Enter)</source>
        <translation>Відкрити зміну (Enter)</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="122"/>
        <source>Carried from the last shift: {amount}. Only the difference to the float is booked (in or out).</source>
        <translation>Перенесено з минулої зміни: {amount}. Проводиться лише різниця до розмінної суми (внесення або винесення).</translation>
    </message>
    <message>
        <location filename="../pos/ui/shift_open.py" line="153"/>
        <source>Opening the shift…</source>
        <translation>Відкриття зміни…</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../pos/ui/first_screen.py" line="31"/>
        <location filename="../pos/ui/sign_in.py" line="60"/>
        <source>Cashier sign-in</source>
        <extracomment>The sign-in ended, signed in or refused: the window routes again (it stays here meanwhile). True until the sign-in, recovery included, has ended: the register says &quot;signed in&quot; before its recovery is done, and the next screen must wait for it.</extracomment>
        <translation>Вхід касира</translation>
    </message>
    <message>
        <location filename="../pos/ui/first_screen.py" line="35"/>
        <location filename="../pos/ui/sign_in.py" line="61"/>
        <source>Type your PIN and press Enter</source>
        <translation>Введіть свій PIN і натисніть Enter</translation>
    </message>
    <message>
        <location filename="../pos/ui/sign_in.py" line="65"/>
        <source>Training mode: the training cashier&apos;s PIN is {pin}</source>
        <translation>Навчальний режим: PIN навчального касира — {pin}</translation>
    </message>
    <message>
        <location filename="../pos/ui/sign_in.py" line="85"/>
        <source>Signing in…</source>
        <translation>Вхід…</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../pos/ui/status_bar.py" line="28"/>
        <source>Online</source>
        <translation>Онлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="30"/>
        <source>Tax service offline</source>
        <translation>Податкова недоступна</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="33"/>
        <source>Offline (by the manager)</source>
        <translation>Офлайн (за рішенням менеджера)</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="35"/>
        <source>Offline</source>
        <translation>Офлайн</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="38"/>
        <source>Uploading offline receipts…</source>
        <translation>Передавання офлайн-чеків…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="39"/>
        <source>Going online…</source>
        <translation>Перехід в онлайн…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="44"/>
        <source>Receipts are fiscalised online through Checkbox.</source>
        <translation>Чеки фіскалізуються онлайн через Checkbox.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="47"/>
        <source>Checkbox is reachable but the tax service is not: Checkbox issues receipts with its offline codes. Selling goes on.</source>
        <translation>Checkbox доступний, а податкова — ні: Checkbox видає чеки зі своїми офлайн-номерами. Продаж триває.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="52"/>
        <source>Checkbox cannot be reached: receipts are fiscalised here with offline codes and uploaded later. Selling goes on.</source>
        <translation>Немає зв&apos;язку з Checkbox: чеки фіскалізуються тут з офлайн-номерами й будуть передані пізніше. Продаж триває.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="57"/>
        <source>Offline receipts are being sent, in order.</source>
        <translation>Офлайн-чеки передаються по черзі.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="60"/>
        <source>All sent; waiting for the register to be online.</source>
        <translation>Усе передано; очікуємо, поки каса стане онлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="73"/>
        <source>The 36 h offline limit is reached: selling offline is stopped. Restore the connection so the receipts can be uploaded.</source>
        <translation>Досягнуто межі 36 год офлайн: продаж офлайн зупинено. Відновіть зв&apos;язок, щоб передати чеки.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="78"/>
        <source>Offline for a long time: {left} left of the 36 h limit. Restore the connection.</source>
        <translation>Тривала робота офлайн: до межі 36 год залишилось {left}. Відновіть зв&apos;язок.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="84"/>
        <source>The 168 h monthly offline limit is reached: selling offline is stopped.</source>
        <translation>Досягнуто місячної межі 168 год офлайн: продаж офлайн зупинено.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="88"/>
        <source>Offline time this month: {left} left of 168 h.</source>
        <translation>Офлайн цього місяця: залишилось {left} із 168 год.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="93"/>
        <source>The shift&apos;s day is over: make the Z-report (F10) now.</source>
        <translation>День зміни закінчився: зробіть Z-звіт (F10) зараз.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="96"/>
        <source>The shift must close in {left}: make the Z-report (F10) soon.</source>
        <translation>Зміну треба закрити через {left}: найближчим часом зробіть Z-звіт (F10).</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="100"/>
        <source>Offline codes are used up ({count} left): the register cannot work offline. Restore the connection.</source>
        <translation>Офлайн-номери вичерпано (залишилось {count}): каса не може працювати офлайн. Відновіть зв&apos;язок.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="105"/>
        <source>Only {count} offline codes left: restore the connection to get more.</source>
        <translation>Залишилось лише {count} офлайн-номерів: відновіть зв&apos;язок, щоб отримати нові.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="122"/>
        <source>Recovering {count} unfinished operation(s) from the last run…</source>
        <translation>Відновлення незавершених операцій з минулого запуску: {count}…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="131"/>
        <source>{count} receipt(s) from before the register stopped await Checkbox&apos;s answer: do not sell them again; the register asks Checkbox by itself, and the Z-report waits for them.</source>
        <translation>Чеки, надіслані до зупинки каси ({count}), чекають відповіді Checkbox: не продавайте їх повторно; каса запитує Checkbox сама, і Z-звіт чекає на них.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="143"/>
        <source>{count} offline transaction(s) were refused by the server: call the manager.</source>
        <translation>Сервер відхилив офлайн-операцій: {count}. Зверніться до менеджера.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="153"/>
        <source>This journal may be behind Checkbox (restored, copied or recreated): no offline receipts until the register has reconciled online.</source>
        <translation>Цей журнал може відставати від Checkbox (відновлений, скопійований або створений заново): офлайн-чеків не буде, доки каса не звірить коди онлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="164"/>
        <source>Checkbox used offline codes on its own: offline receipts wait until the code pool is reconciled online.</source>
        <translation>Checkbox сам використав офлайн-коди: офлайн-чеки чекатимуть, доки пул кодів не буде звірено онлайн.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="175"/>
        <source>This PC&apos;s clock differs from Checkbox&apos;s by {minutes} min: check the time; offline receipts wait until it is confirmed.</source>
        <translation>Годинник цього комп’ютера розходиться з Checkbox на {minutes} хв: перевірте час; офлайн-чеки чекатимуть підтвердження.</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="271"/>
        <source>Back office: connecting…</source>
        <translation>Бек-офіс: з’єднання…</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="273"/>
        <source>Back office: up to date</source>
        <translation>Бек-офіс: усе передано</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="275"/>
        <source>Back office: sending {count}</source>
        <translation>Бек-офіс: передається {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="277"/>
        <source>Back office: unreachable, {count} waiting</source>
        <translation>Бек-офіс: недоступний, чекають {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="299"/>
        <source>Offline left: {left}</source>
        <translation>Офлайн залишилось: {left}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="304"/>
        <source>This month: {left} of 168 h left</source>
        <translation>Цього місяця: залишилось {left} із 168 год</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="309"/>
        <source>Codes: {count}</source>
        <translation>Номерів: {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="314"/>
        <source>Queue: {count}</source>
        <translation>Черга: {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="317"/>
        <source>Shift: closed</source>
        <translation>Зміна: закрита</translation>
    </message>
    <message>
        <location filename="../pos/ui/status_bar.py" line="320"/>
        <source>Shift: {left} left</source>
        <translation>Зміна: залишилось {left}</translation>
    </message>
</context>
<context>
    <name>TotalsPanel</name>
    <message>
        <location filename="../pos/ui/totals.py" line="49"/>
        <source>TOTAL</source>
        <translation>ДО СПЛАТИ</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="63"/>
        <source>Empty receipt</source>
        <translation>Порожній чек</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="70"/>
        <source>Lines: {count}</source>
        <translation>Рядків: {count}</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="73"/>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="73"/>
        <source>Extra charge</source>
        <translation>Надбавка</translation>
    </message>
    <message>
        <location filename="../pos/ui/totals.py" line="79"/>
        <source>In cash (NBU rounding): {sum}</source>
        <translation>Готівкою (заокруглення НБУ): {sum}</translation>
    </message>
</context>
</TS>
